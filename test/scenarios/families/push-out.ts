import { centre, pointIn, type Point } from '../geometry.js';
import { Path } from '../path.js';
import { LANE, OTHER_LANE, type PosScript, type Scenario, type ScenarioRequest } from '../world.js';
import { cart, person, walkSpeed } from './actors.js';
import { draft, finish, SECOND, type Draft } from './common.js';

type Variant = 'paid' | 'no-transaction' | 'open-transaction' | 'paid-long-ago';

const MINUTE = 60 * SECOND;

function line(at: number, kind: PosScript['kind'], laneId: string, seq: string, amount: number | null = null): PosScript {
  return { at, kind, laneId, sequenceNumber: seq, itemId: kind === 'sale' ? `40${Math.round(at) % 100_000_000}` : null, amount };
}

/** A transaction on a lane: sales from `from`, then (when `paid`) tender and end at `endAt`. */
function lanePos(d: Draft, laneId: string, from: number, endAt: number, paid: boolean): PosScript[] {
  const seq = `${6000 + d.req.index}`;
  const n = d.rng.int(2, 6);
  const sales = Array.from({ length: n }, (_, i) => line(from + ((endAt - from - 3000) * i) / n, 'sale', laneId, seq, Math.round(d.rng.range(1, 30))));
  const start = { ...line(from - 2000, 'transaction_start', laneId, seq), droppable: true };
  return paid ? [start, ...sales, line(endAt - 1500, 'tender', laneId, seq, 50), line(endAt, 'transaction_end', laneId, seq)] : [start, ...sales];
}

function posFor(d: Draft, variant: Variant, crossAt: number): PosScript[] {
  const { rng } = d;
  const laneId = rng.pick([LANE, OTHER_LANE]);
  if (variant === 'paid') {
    const endAt = crossAt - rng.range(10, 150) * SECOND;
    return lanePos(d, laneId, endAt - rng.range(20, 60) * SECOND, endAt, true);
  }
  if (variant === 'open-transaction') return lanePos(d, laneId, crossAt - rng.range(60, 120) * SECOND, crossAt - 5 * SECOND, false);
  if (variant === 'paid-long-ago') {
    const endAt = crossAt - rng.range(7, 12) * MINUTE;
    return lanePos(d, laneId, endAt - 40 * SECOND, endAt, true);
  }
  return [];
}

/** A cart pushed from the lanes through the exit and out of view, by a person walking beside it. */
function cartActors(d: Draft): { actors: ReturnType<typeof cart>[]; enterAt: number; crossAt: number } {
  const { rng, layout } = d;
  const from = pointIn(rng, layout.walkway, 0.3);
  const exit: Point = [centre(layout.exit)[0] + rng.jitter(0.05), centre(layout.exit)[1]];
  const speed = walkSpeed(rng) * 0.8;
  const enterAt = d.start + rng.range(3, 10) * SECOND;
  const path = new Path(enterAt, from).moveTo(exit, speed);
  const crossAt = path.time;
  path.moveTo([exit[0], 1.3], speed).vanish();
  const beside = new Path(enterAt, [from[0] - 0.09, from[1]]).moveTo([exit[0] - 0.09, exit[1]], speed).moveTo([exit[0] - 0.09, 1.45], speed).vanish();
  return { actors: [cart('cart', path), person('shopper', beside)], enterAt, crossAt };
}

/** Negatives paid on some lane minutes before the cart crossed the exit; positives did not (or long before). */
export function pushOut(req: ScenarioRequest): Scenario {
  const d = draft(req);
  const variant: Variant = d.positive ? d.rng.pick(['no-transaction', 'open-transaction', 'paid-long-ago'] as const) : 'paid';
  const { actors, enterAt, crossAt } = cartActors(d);
  return finish(d, {
    variant,
    actors,
    pos: posFor(d, variant, crossAt),
    truth: d.positive ? [{ from: enterAt, to: crossAt + 30 * SECOND, what: `cart out with ${variant}` }] : [],
    end: crossAt + 30 * SECOND,
    laneId: null,
  });
}
