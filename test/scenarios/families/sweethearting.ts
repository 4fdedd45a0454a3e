import type { Scenario, ScenarioRequest } from '../world.js';
import { type PassKind, laneStaff, transaction } from './checkout.js';
import { draft, finish, noiseLines, SECOND } from './common.js';

/** Transactions where the cashier passes 3–5 products without ringing them up (positives), or rings all but at most one. */
function kindsFor(d: ReturnType<typeof draft>): { kinds: PassKind[]; unscanned: number } {
  const { rng } = d;
  const n = rng.int(5, 8);
  const kinds: PassKind[] = Array.from({ length: n }, () => 'scan');
  const unscanned = d.positive ? rng.int(3, Math.min(5, n - 1)) : rng.int(0, 1);
  const slots = rng.shuffle(Array.from({ length: n }, (_, i) => i)).slice(0, unscanned);
  for (const i of slots) kinds[i] = rng.chance(0.8) ? 'fake' : 'skip';
  return { kinds, unscanned };
}

export function sweethearting(req: ScenarioRequest): Scenario {
  const d = draft(req);
  const { rng } = d;
  const { kinds, unscanned } = kindsFor(d);
  const tx = transaction(rng, d.layout, d.start, kinds, { bagStayMs: rng.range(2000, 6000), seq: `${3000 + req.index}` });
  const first = tx.passes.find((p) => p.kind !== 'scan');
  const truth = d.positive && first !== undefined ? [{ from: first.leftLoadAt - 3 * SECOND, to: tx.endAt + 30 * SECOND, what: `${unscanned} products bagged without a sale line` }] : [];
  return finish(d, {
    variant: d.positive ? `unscanned-${unscanned}` : unscanned === 0 ? 'all-scanned' : 'one-unscanned',
    actors: [...laneStaff(rng, d.layout, d.start, true), ...tx.actors],
    pos: [...tx.pos, ...noiseLines(d, d.start, tx.endAt)],
    truth,
    end: tx.endAt + 20 * SECOND,
  });
}
