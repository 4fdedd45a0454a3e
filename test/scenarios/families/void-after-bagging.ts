import { LANE, type PosScript, type Scenario, type ScenarioRequest } from '../world.js';
import { type PassKind, laneStaff, transaction, type Pass } from './checkout.js';
import { draft, finish, noiseLines, SECOND, type Draft } from './common.js';

type Variant = 'void-after-bagging' | 'void-before-bagging' | 'no-void';

function voidLine(pass: Pass, at: number, seq: string): PosScript {
  return { at, kind: 'void', laneId: LANE, sequenceNumber: seq, itemId: pass.itemId, amount: -pass.amount };
}

function closing(at: number, seq: string): PosScript[] {
  return [
    { at, kind: 'tender', laneId: LANE, sequenceNumber: seq, itemId: null, amount: null },
    { at: at + 1500, kind: 'transaction_end', laneId: LANE, sequenceNumber: seq, itemId: null, amount: null },
  ];
}

function variantFor(d: Draft): Variant {
  return d.positive ? 'void-after-bagging' : d.rng.chance(0.6) ? 'void-before-bagging' : 'no-void';
}

/** A voided product that had reached bagging (positives); a void of one taken back before bagging, or none (negatives). */
export function voidAfterBagging(req: ScenarioRequest): Scenario {
  const d = draft(req);
  const { rng } = d;
  const variant = variantFor(d);
  const n = rng.int(2, 5);
  const culprit = rng.int(0, n - 1);
  const kinds: PassKind[] = Array.from({ length: n }, (_, i) => (i === culprit && variant === 'void-before-bagging' ? 'return' : 'scan'));
  const seq = `${5000 + req.index}`;
  const tx = transaction(rng, d.layout, d.start, kinds, { bagStayMs: rng.range(3000, 8000), seq, closed: false });
  const pass = tx.passes[culprit];
  const voidAt = pass === undefined || variant === 'no-void' ? undefined : (pass.baggedAt ?? pass.clearAt) + rng.range(variant === 'void-after-bagging' ? 3000 : 500, 10_000);
  const lastAt = Math.max(tx.endAt, voidAt ?? 0);
  const pos = [...tx.pos, ...closing(lastAt + rng.range(2000, 5000), seq), ...noiseLines(d, d.start, lastAt)];
  if (voidAt !== undefined && pass !== undefined) pos.push(voidLine(pass, voidAt, seq));
  return finish(d, {
    variant,
    actors: [...laneStaff(rng, d.layout, d.start, true), ...tx.actors],
    pos,
    truth: variant === 'void-after-bagging' && voidAt !== undefined ? [{ from: voidAt - 3 * SECOND, to: voidAt + 30 * SECOND, what: `void of bagged ${pass?.actor.name ?? ''}` }] : [],
    end: lastAt + 20 * SECOND,
  });
}
