import { pointIn } from '../geometry.js';
import { Path } from '../path.js';
import { LANE, type Actor, type PosScript, type Scenario, type ScenarioRequest } from '../world.js';
import { person, walkSpeed } from './actors.js';
import { draft, finish, noiseLines, SECOND, type Draft } from './common.js';

type Presence = 'present' | 'absent' | 'left-earlier' | 'passer-by';

/** A customer at the lane around the POS event, or none: never there, gone well before, or only walking past behind. */
function customerFor(d: Draft, presence: Presence, eventAt: number): Actor[] {
  const { rng, layout, start } = d;
  const spot = pointIn(rng, layout.customer, 0.3);
  if (presence === 'present') {
    const path = new Path(start + rng.range(0, 5000), [spot[0], 1.2]).moveTo(spot, walkSpeed(rng)).waitUntil(eventAt + rng.range(10_000, 25_000));
    return [person('customer', path.moveTo([spot[0], 1.25], walkSpeed(rng)))];
  }
  if (presence === 'left-earlier') {
    const path = new Path(start, spot).wait(rng.range(5000, 10_000)).moveTo([spot[0], 1.25], walkSpeed(rng));
    return [person('customer', path)];
  }
  if (presence === 'passer-by') {
    const y = rng.range(layout.walkway.y1 + 0.02, layout.walkway.y2);
    const path = new Path(eventAt - rng.range(8000, 15_000), [-0.1, y]).moveTo([1.1, y], walkSpeed(rng));
    return [person('passer-by', path)];
  }
  return [];
}

function posLine(d: Draft, at: number, kind: PosScript['kind']): PosScript {
  const isRefund = kind === 'refund';
  return { at, kind, laneId: LANE, sequenceNumber: `${4000 + d.req.index}`, itemId: isRefund ? `40${d.rng.int(10_000_000, 99_999_999)}` : null, amount: isRefund ? -Math.round(d.rng.range(5, 200)) : null };
}

/**
 * A POS event (no-sale, drawer open or refund) with a customer at the lane (negatives) or with none (positives).
 * The cashier is always behind the counter.
 */
export function unattendedPos(kinds: readonly PosScript['kind'][]) {
  return (req: ScenarioRequest): Scenario => {
    const d = draft(req);
    const { rng } = d;
    const kind = rng.pick(kinds);
    const eventAt = d.start + rng.range(20_000, 35_000);
    const presence: Presence = d.positive ? rng.pick(['absent', 'left-earlier', 'passer-by'] as const) : 'present';
    const cashier = person('cashier', new Path(d.start, pointIn(rng, d.layout.cashier, 0.3)));
    return finish(d, {
      variant: `${kind} ${presence}`,
      actors: [cashier, ...customerFor(d, presence, eventAt)],
      pos: [posLine(d, eventAt, kind), ...noiseLines(d, d.start, eventAt + 20_000)],
      truth: d.positive ? [{ from: eventAt - 3 * SECOND, to: eventAt + 30 * SECOND, what: `${kind} with no customer (${presence})` }] : [],
      end: eventAt + 40 * SECOND,
    });
  };
}
