import { posLineItemSchema, POS_EXCEPTIONS, type PosException, type PosLineItem } from '../../../adapters/pos/index.js';
import type { PosTransactionRow } from '../../../models/index.js';
import { iso } from '../common-schemas.js';

const isPosException = (value: string): value is PosException => (POS_EXCEPTIONS as readonly string[]).includes(value);
const money = (value: string | number | null): number | null => (value === null ? null : Number(value));

/** Lines as stored (validated on the way in); one that no longer reads is left out rather than answered malformed. */
export function linesOf(row: Pick<PosTransactionRow, 'lineItems'>): PosLineItem[] {
  const lines = Array.isArray(row.lineItems) ? row.lineItems : [];
  return lines.flatMap((line) => {
    const parsed = posLineItemSchema.safeParse(line);
    return parsed.success ? [parsed.data] : [];
  });
}

export const exceptionsOf = (row: Pick<PosTransactionRow, 'exceptions'>): PosException[] => row.exceptions.filter(isPosException);

export const presentPosTransaction = (row: PosTransactionRow) => ({
  id: row.id,
  storeId: row.storeId,
  regionId: row.regionId,
  laneId: row.laneId,
  isMatched: row.isMatched,
  posStoreId: row.posStoreId,
  workstationId: row.workstationId,
  sequenceNumber: row.sequenceNumber,
  businessDay: row.occurredAt.toISOString().slice(0, 10),
  beginAt: iso(row.beginAt),
  endAt: iso(row.endAt),
  isBeginInferred: row.beginInferred,
  timeZone: row.timeZone,
  operatorId: row.operatorId,
  kind: row.kind,
  total: money(row.total),
  exceptions: exceptionsOf(row),
  receivedAt: row.receivedAt.toISOString(),
});

export const presentPosDetail = (row: PosTransactionRow, incidentIds: string[]) => ({ ...presentPosTransaction(row), lines: linesOf(row), incidentIds });

/** A linked transaction on an incident; `operatorId` stays out when the caller's rules hide it on incidents. */
export const presentIncidentPos = (row: PosTransactionRow, reason: string, isOperatorHidden: boolean) => ({
  transactionId: row.id,
  workstationId: row.workstationId,
  sequenceNumber: row.sequenceNumber,
  beginAt: iso(row.beginAt),
  endAt: iso(row.endAt),
  ...(isOperatorHidden ? {} : { operatorId: row.operatorId }),
  total: money(row.total),
  exceptions: exceptionsOf(row),
  lines: linesOf(row),
  reason,
});
