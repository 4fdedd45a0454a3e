import { epochOfLocal } from '../../adapters/pos/journal/index.js';
import type { PosLineItem, PosTransaction } from '../../adapters/pos/index.js';
import type { PosLaneEvent, PosLaneEventKind } from '../../contracts/index.js';

export interface TransactionEvents {
  readonly events: PosLaneEvent[];
  /** False when the transaction had neither a begin nor an end time and its events carry the arrival time. */
  readonly isPosTimed: boolean;
}

const LOCAL_ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?$/;

/** Epoch ms of a POSLog/JSON time: with an offset as written, without one in the receiver's zone. */
export function posTimeOf(text: string, timeZone: string): number | null {
  const local = LOCAL_ISO.exec(text);
  if (!local) {
    const parsed = Date.parse(text);
    return Number.isFinite(parsed) && parsed >= 0 ? parsed : null;
  }
  const [, y, mo, d, h, mi, s, ms] = local;
  const at = epochOfLocal({
    year: Number(y), month: Number(mo), day: Number(d), hour: Number(h), minute: Number(mi),
    second: Number(s ?? 0), millisecond: Number((ms ?? '0').padEnd(3, '0')),
  }, timeZone);
  return Number.isFinite(at) && at >= 0 ? at : null;
}

function lineKinds(line: PosLineItem): PosLaneEventKind[] {
  if (line.isVoided && (line.type === 'sale' || line.type === 'return')) return ['void'];
  const isKeyedPrice = line.isPriceOverride || line.isManualDiscount;
  if (line.type === 'sale') return isKeyedPrice ? ['sale', 'price_override'] : ['sale'];
  if (line.type === 'return') return isKeyedPrice ? ['refund', 'price_override'] : ['refund'];
  if (line.type === 'tender') return ['tender'];
  if (line.type === 'discount' && line.isManualDiscount) return ['price_override'];
  return [];
}

function lineEvent(kind: PosLaneEventKind, line: PosLineItem, base: Omit<PosLaneEvent, 'kind'>, label: string): PosLaneEvent {
  const isOverride = kind === 'price_override' && line.type !== 'discount';
  const what = line.isManualDiscount && !line.isPriceOverride ? `manual discount${line.reason ? ` (${line.reason})` : ''}` : 'price';
  const description = isOverride
    ? `${line.description ?? line.itemId ?? 'item'}: ${what} ${line.regularPrice ?? '?'} -> ${line.actualPrice ?? '?'}`
    : kind === 'tender' ? line.tenderType ?? line.description : line.description ?? line.reason;
  return {
    ...base, kind, itemId: line.itemId, description: description?.slice(0, 500) ?? null, quantity: line.quantity,
    amount: isOverride ? line.actualPrice : line.amount, raw: `${label} ${kind}${line.itemId ? ` ${line.itemId}` : ''}${line.amount === null ? '' : ` ${line.amount}`}`,
  };
}

/**
 * A transaction as lane events: transaction_start at its begin time, one sale / void / refund per line
 * (a line with a keyed-in price or a manual discount adds a price_override, so does a manual discount line), tenders, a no_sale or
 * a void for control and post-voided transactions, and transaction_end with the total at its end time.
 * Line items of POSLog and the JSON form carry no time of their own: they take the begin time. A
 * transaction with only one of the two times uses it for both.
 */
export function transactionToLaneEvents(tx: PosTransaction, options: { timeZone: string; receivedAt: number }): TransactionEvents {
  const begin = tx.beginAt === null ? null : posTimeOf(tx.beginAt, options.timeZone);
  const end = tx.endAt === null ? null : posTimeOf(tx.endAt, options.timeZone);
  const isPosTimed = begin !== null || end !== null;
  const startAt = begin ?? end ?? options.receivedAt;
  const endAt = end ?? begin ?? options.receivedAt;
  const label = `tx ${tx.sequenceNumber}`;
  const base = {
    workstationId: tx.workstationId, posTime: startAt, sequenceNumber: tx.sequenceNumber, operatorId: tx.operatorId,
    itemId: null, description: null, quantity: null, amount: null, raw: null,
  };
  const events: PosLaneEvent[] = [{ ...base, kind: 'transaction_start', raw: `${label} start (${tx.kind})` }];
  tx.lineItems.forEach((line, i) => {
    for (const kind of lineKinds(line)) events.push(lineEvent(kind, line, base, `${label} line ${i + 1}`));
  });
  if (tx.kind === 'no_sale') events.push({ ...base, kind: 'no_sale', raw: `${label} no sale` });
  if (tx.kind === 'post_void') events.push({ ...base, kind: 'void', posTime: endAt, description: 'post-void of the whole transaction', amount: tx.total, raw: `${label} post-void` });
  events.push({ ...base, kind: 'transaction_end', posTime: endAt, amount: tx.total, raw: `${label} end total ${tx.total ?? '-'}` });
  return { events, isPosTimed };
}
