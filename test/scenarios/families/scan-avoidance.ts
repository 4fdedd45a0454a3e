import type { Scenario, ScenarioRequest } from '../world.js';
import { type PassKind, laneStaff, transaction } from './checkout.js';
import { draft, finish, noiseLines, SECOND } from './common.js';

/** Normal scans, some with a rescan (negatives); one product lifted over the scanner, or passed over it with no sale line (positives). */
export function scanAvoidance(req: ScenarioRequest): Scenario {
  const d = draft(req);
  const { rng } = d;
  const n = rng.int(2, 6);
  const kinds: PassKind[] = Array.from({ length: n }, () => 'scan');
  const culprit = rng.int(0, n - 1);
  const skip = rng.chance(0.5);
  if (d.positive) kinds[culprit] = skip ? 'skip' : 'fake';
  // Some negatives have a product the cashier had to pass over the scanner twice before it beeped.
  const rescan = !d.positive && rng.chance(0.4);
  if (rescan) kinds[culprit] = 'rescan';
  const tx = transaction(rng, d.layout, d.start, kinds, { bagStayMs: rng.range(2000, 6000), seq: `${2000 + req.index}` });
  const pass = tx.passes[culprit];
  const truth =
    !d.positive || pass === undefined
      ? []
      : [{ from: (pass.scanAt ?? pass.leftLoadAt) - 3 * SECOND, to: (pass.baggedAt ?? pass.clearAt) + 20 * SECOND, what: `${pass.actor.name} ${skip ? 'skipped the scanner' : 'crossed it with no sale line'}` }];
  return finish(d, {
    variant: d.positive ? (skip ? 'skip-scanner' : 'scan-motion-no-sale') : rescan ? 'rescan' : 'normal-scans',
    actors: [...laneStaff(rng, d.layout, d.start, rng.chance(0.7)), ...tx.actors],
    pos: [...tx.pos, ...noiseLines(d, d.start, tx.endAt)],
    truth,
    end: tx.endAt + 15 * SECOND,
  });
}
