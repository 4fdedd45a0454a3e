import { setImmediate as nextTurn } from 'node:timers/promises';
import { newId } from '../../contracts/index.js';
import type { PreparedPosTransaction } from '../../adapters/pos/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';
import { insertMessage } from '../webhooks/index.js';

export interface PosIngestSummary {
  received: number;
  created: number;
  duplicates: number;
  unmatched: number;
  exceptions: number;
}

/** Rows per INSERT: small enough that one statement never holds an embedded (PGlite) database's thread for long. */
const INSERT_CHUNK = 50;

interface Placement { storeId: string | null; laneId: string | null }

async function placements(ctx: CommandContext, txs: PreparedPosTransaction[]): Promise<(tx: PreparedPosTransaction) => Placement> {
  const codes = [...new Set(txs.map((t) => t.posStoreId))];
  const stores = (await ctx.trx('stores').where({ tenant_id: ctx.tenantId }).whereIn('code', codes).select('id', 'code')) as Array<{ id: string; code: string }>;
  const storeByCode = new Map(stores.map((s) => [s.code, s.id]));
  const lanes = stores.length === 0 ? [] : ((await ctx.trx('lanes').where({ tenant_id: ctx.tenantId }).whereIn('store_id', stores.map((s) => s.id)).whereNotNull('pos_workstation_id')
    .select('id', 'store_id', 'pos_workstation_id')) as Array<{ id: string; store_id: string; pos_workstation_id: string }>);
  const laneByKey = new Map(lanes.map((l) => [`${l.store_id}\u0000${l.pos_workstation_id}`, l.id]));
  return (tx) => {
    const storeId = storeByCode.get(tx.posStoreId) ?? null;
    return { storeId, laneId: storeId ? laneByKey.get(`${storeId}\u0000${tx.workstationId}`) ?? null : null };
  };
}

// Wall-clock times without an offset are the store's local time as the POS wrote them; kept as UTC-naive
// instants here (the lane correlation works on the same clock the plugin stamps POS events with).
const instant = (value: string | null): Date | null => (value === null ? null : new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`));

/**
 * Stores POS transactions idempotently (store + workstation + sequence + business day), matched to a store
 * by its POS store id and to a lane by workstation id; unmatched ones are kept and flagged, never
 * dropped. Exceptions become `pos.exception` messages linked to the lane, in the same transaction.
 */
export async function ingestPosTransactions(ctx: CommandContext, txs: PreparedPosTransaction[]): Promise<PosIngestSummary> {
  const place = await placements(ctx, txs);
  const endpoints = (await ctx.trx('webhook_endpoints').where({ tenant_id: ctx.tenantId, enabled: true }).whereRaw("'pos.exception' = ANY(event_types)").pluck('id')) as string[];
  const summary: PosIngestSummary = { received: txs.length, created: 0, duplicates: 0, unmatched: 0, exceptions: 0 };
  for (let start = 0; start < txs.length; start += INSERT_CHUNK) {
    // PGlite answers a query within the same turn of the event loop (its promises resolve as microtasks),
    // so without this a 30,000-transaction upload would hold every other request until it is stored.
    if (start > 0) await nextTurn();
    const rows = txs.slice(start, start + INSERT_CHUNK).map((tx) => {
      const where = place(tx);
      return {
        tx, where, exceptions: tx.exceptions,
        row: {
          tenant_id: ctx.tenantId, id: newId('posTransaction'), occurred_at: new Date(`${tx.businessDay}T00:00:00Z`), pos_store_id: tx.posStoreId,
          workstation_id: tx.workstationId, sequence_number: tx.sequenceNumber, store_id: where.storeId, lane_id: where.laneId,
          is_matched: where.laneId !== null, begin_at: instant(tx.beginAt), end_at: instant(tx.endAt), operator_id: tx.operatorId, kind: tx.kind,
          total: tx.total, line_items: tx.lineItemsJson, raw: tx.rawJson,
        },
      };
    });
    const inserted = (await ctx.trx('pos_transactions').insert(rows.map((r) => ({ ...r.row, exceptions: r.exceptions })))
      .onConflict(['tenant_id', 'pos_store_id', 'workstation_id', 'sequence_number', 'occurred_at']).ignore().returning('id')) as Array<{ id: string }>;
    const fresh = new Set(inserted.map((r) => r.id));
    for (const r of rows) {
      if (!fresh.has(r.row.id)) {
        summary.duplicates += 1;
        continue;
      }
      summary.created += 1;
      if (!r.row.is_matched) summary.unmatched += 1;
      if (r.exceptions.length === 0) continue;
      summary.exceptions += 1;
      const data = {
        id: r.row.id, type: 'pos_exception', exceptions: r.exceptions, storeId: r.where.storeId, laneId: r.where.laneId, posStoreId: r.tx.posStoreId,
        workstationId: r.tx.workstationId, sequenceNumber: r.tx.sequenceNumber, businessDay: r.tx.businessDay, beginAt: r.tx.beginAt, endAt: r.tx.endAt,
        operatorId: r.tx.operatorId, total: r.tx.total,
      };
      await insertMessage(ctx.trx, ctx.tenantId, { type: 'pos.exception', subjectId: r.row.id, data }, endpoints);
    }
  }
  await writeAudit(ctx, { action: 'pos.ingested', subjectType: 'PosTransaction', subjectId: ctx.requestId ?? 'batch', after: { ...summary } });
  return summary;
}
