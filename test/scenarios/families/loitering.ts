import { pointIn } from '../geometry.js';
import { floorSide } from '../layout.js';
import { Path } from '../path.js';
import type { Scenario, ScenarioRequest } from '../world.js';
import { person, walkSpeed } from './actors.js';
import { draft, finish, SECOND, type Draft } from './common.js';

type Variant = 'loiter' | 'pass-by' | 'short-browse';

/** How long the person stays in the high-value zone, ms. */
function stayFor(d: Draft, variant: Variant): number {
  if (variant === 'loiter') return d.rng.range(300, 420) * SECOND;
  return variant === 'short-browse' ? d.rng.range(15, 45) * SECOND : 0;
}

/** A person walking into the high-value area and staying (drifting a little), then walking off the side. */
function visitor(d: Draft, stayMs: number): { path: Path; arriveAt: number; leaveAt: number } {
  const { rng, layout } = d;
  const zone = layout.highValue;
  const y = rng.range(zone.y1 + 0.03, zone.y2 - 0.03);
  const side = floorSide(layout);
  const path = new Path(d.start + rng.range(2, 8) * SECOND, [side, y]).moveTo(pointIn(rng, zone, 0.3), walkSpeed(rng));
  const arriveAt = path.time;
  while (path.time < arriveAt + stayMs) path.wait(rng.range(5, 20) * SECOND).moveTo(pointIn(rng, zone, 0.3), 0.03);
  const leaveAt = path.time;
  path.moveTo([side, y], walkSpeed(rng)).vanish();
  return { path, arriveAt, leaveAt };
}

/** Loitering (positives) against passing by and a short look at the goods (negatives). */
export function loitering(req: ScenarioRequest): Scenario {
  const d = draft(req);
  const variant: Variant = d.positive ? 'loiter' : d.rng.pick(['pass-by', 'short-browse'] as const);
  const { path, arriveAt, leaveAt } = visitor(d, stayFor(d, variant));
  return finish(d, {
    variant,
    actors: [person('visitor', path)],
    pos: [],
    truth: d.positive ? [{ from: arriveAt - 5 * SECOND, to: leaveAt + 20 * SECOND, what: `${Math.round((leaveAt - arriveAt) / 1000)} s in the high-value area` }] : [],
    end: (path.vanished ?? leaveAt) + 20 * SECOND,
  });
}
