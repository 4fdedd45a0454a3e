import { setImmediate as nextTurn } from 'node:timers/promises';
import { isAppError, newId } from '../../contracts/index.js';
import type { PosDocument, PosRejection, PreparedPosTransaction } from '../../adapters/pos/index.js';
import { writeAudit, type AuditEntry, type CommandContext } from '../audit/index.js';
import { insertMessages } from '../webhooks/index.js';
import { nowOf } from './clock.js';
import { findVideoIncidents, writeLinks, DEFAULT_CORRELATION_WINDOW_SECONDS, type LaneTransaction, type PosLink } from './pos-correlator.js';
import { openPosIncidents, type PosOnlyException } from './pos-incident-opener.js';
import { hasUtcOffset, posInstant } from './pos-local-time.js';

export interface PosIngestSummary {
  /** Transactions in the document, refused ones included. */
  received: number;
  created: number;
  duplicates: number;
  unmatched: number;
  exceptions: number;
  /** New transactions linked to at least one incident (video on their lane, or one opened for the exception). */
  linked: number;
  incidentsCreated: number;
  rejected: number;
  errors: PosRejection[];
}

export interface PosIngestSettings {
  correlationWindowSeconds: number;
  /** Exceptions that open (or join) a pos_exception incident when no video incident is linked. */
  incidentExceptions: readonly string[];
}

/** Rows per INSERT: small enough that one statement never holds an embedded (PGlite) database's thread for long. */
const INSERT_CHUNK = 50;

interface Placement { storeId: string | null; regionId: string | null; laneId: string | null; timeZone: string }

async function placements(ctx: CommandContext, txs: PreparedPosTransaction[]): Promise<(tx: PreparedPosTransaction) => Placement> {
  const codes = [...new Set(txs.map((t) => t.posStoreId))];
  const stores = (await ctx.trx('stores').where({ tenant_id: ctx.tenantId }).whereIn('code', codes).select('id', 'code', 'timezone', 'region_id')) as Array<{ id: string; code: string; timezone: string; region_id: string }>;
  const storeByCode = new Map(stores.map((s) => [s.code, s]));
  const lanes = stores.length === 0 ? [] : ((await ctx.trx('lanes').where({ tenant_id: ctx.tenantId }).whereIn('store_id', stores.map((s) => s.id)).whereNotNull('pos_workstation_id')
    .select('id', 'store_id', 'pos_workstation_id')) as Array<{ id: string; store_id: string; pos_workstation_id: string }>);
  const laneByKey = new Map(lanes.map((l) => [`${l.store_id}\u0000${l.pos_workstation_id}`, l.id]));
  return (tx) => {
    const store = storeByCode.get(tx.posStoreId);
    // An unknown store has no zone: its local times are read as UTC (and the row says so in time_zone).
    if (!store) return { storeId: null, regionId: null, laneId: null, timeZone: 'UTC' };
    return { storeId: store.id, regionId: store.region_id, laneId: laneByKey.get(`${store.id}\u0000${tx.workstationId}`) ?? null, timeZone: store.timezone };
  };
}

interface Times { beginAt: Date | null; endAt: Date | null; isBeginInferred: boolean; timeZone: string | null }

/**
 * The transaction's instants: offset-less times are the store's wall clock, read in its time zone. An
 * end-only transaction (NCR) begins at its end, flagged, so it stays in the lane/time index.
 */
function timesOf(tx: PreparedPosTransaction, timeZone: string): Times {
  const endAt = posInstant(tx.endAt, timeZone);
  const begun = posInstant(tx.beginAt, timeZone);
  const isLocal = [tx.beginAt, tx.endAt].some((v) => v !== null && !hasUtcOffset(v));
  return { beginAt: begun ?? endAt, endAt, isBeginInferred: begun === null && endAt !== null, timeZone: isLocal ? timeZone : null };
}

interface Row {
  tx: PreparedPosTransaction;
  where: Placement;
  times: Times;
  record: Record<string, unknown> & { id: string };
}

function buildRow(ctx: CommandContext, tx: PreparedPosTransaction, where: Placement): Row {
  const times = timesOf(tx, where.timeZone);
  return {
    tx, where, times,
    record: {
      id: newId('posTransaction'), tenant_id: ctx.tenantId, occurred_at: new Date(`${tx.businessDay}T00:00:00Z`), pos_store_id: tx.posStoreId,
      workstation_id: tx.workstationId, sequence_number: tx.sequenceNumber, store_id: where.storeId, region_id: where.regionId, lane_id: where.laneId,
      is_matched: where.laneId !== null, begin_at: times.beginAt, end_at: times.endAt, begin_inferred: times.isBeginInferred, time_zone: times.timeZone,
      operator_id: tx.operatorId, kind: tx.kind, total: tx.total, line_items: tx.lineItemsJson, raw: tx.rawJson, exceptions: tx.exceptions,
    },
  };
}

const onLane = (r: Row): LaneTransaction | null =>
  r.where.laneId && r.where.storeId && r.times.beginAt
    ? { id: r.record.id, laneId: r.where.laneId, storeId: r.where.storeId, beginAt: r.times.beginAt, endAt: r.times.endAt ?? r.times.beginAt }
    : null;

interface ChunkOutcome { links: PosLink[]; incidentsCreated: string[]; audit: AuditEntry[] }

/** Links the chunk's new transactions to video incidents of their lane; exceptions without one open their own. */
async function correlate(ctx: CommandContext, fresh: Row[], settings: PosIngestSettings): Promise<ChunkOutcome> {
  const windowMs = settings.correlationWindowSeconds * 1000;
  const placed = fresh.flatMap((r) => {
    const lane = onLane(r);
    return lane ? [{ r, lane }] : [];
  });
  const video = await findVideoIncidents(ctx.trx, ctx.tenantId, placed.map((p) => p.lane), windowMs);
  const seen = new Set(video.map((l) => l.posTransactionId));
  const posOnly: PosOnlyException[] = placed
    .filter(({ r }) => !seen.has(r.record.id) && r.tx.exceptions.some((kind) => settings.incidentExceptions.includes(kind)))
    .map(({ r, lane }) => ({ ...lane, exceptions: r.tx.exceptions, workstationId: r.tx.workstationId, sequenceNumber: r.tx.sequenceNumber }));
  const opened = await openPosIncidents(ctx, posOnly, windowMs);
  const written = await writeLinks(ctx, [...video, ...opened.links], nowOf(ctx));
  return { links: [...video, ...opened.links], incidentsCreated: opened.created, audit: [...opened.audit, ...written.audit] };
}

/** The pos.exception message: the transaction's instants (offsets resolved), where it happened and its incident. */
function exceptionData(r: Row, incidentIds: string[]): Record<string, unknown> {
  const [incidentId] = incidentIds;
  return {
    id: r.record.id, type: 'pos_exception', exceptions: r.tx.exceptions, storeId: r.where.storeId, laneId: r.where.laneId, posStoreId: r.tx.posStoreId,
    workstationId: r.tx.workstationId, sequenceNumber: r.tx.sequenceNumber, businessDay: r.tx.businessDay,
    beginAt: r.times.beginAt?.toISOString() ?? null, endAt: r.times.endAt?.toISOString() ?? null, isBeginInferred: r.times.isBeginInferred,
    operatorId: r.tx.operatorId, total: r.tx.total, ...(incidentId ? { incidentId, incidentIds } : {}),
    links: { self: `/v1/pos/transactions/${r.record.id}`, ...(incidentId ? { incident: `/v1/incidents/${incidentId}` } : {}) },
  };
}

function buildRows(ctx: CommandContext, txs: PreparedPosTransaction[], indexOf: Map<PreparedPosTransaction, number>, place: (tx: PreparedPosTransaction) => Placement, errors: PosRejection[]): Row[] {
  return txs.flatMap((tx) => {
    try {
      return [buildRow(ctx, tx, place(tx))];
    } catch (error) {
      if (!isAppError(error) || !error.expose) throw error;
      errors.push({ index: indexOf.get(tx) ?? 0, sequenceNumber: tx.sequenceNumber, code: 'validation_failed', message: error.message });
      return [];
    }
  });
}

/**
 * Stores POS transactions idempotently (store + workstation + sequence + business day), matched to a store
 * by its POS store id and to a lane by workstation id; unmatched ones are kept and flagged, never
 * dropped. New transactions on a lane are linked to the lane's video incidents within the correlation
 * window; an exception without one opens (or joins) a pos_exception incident. Exceptions become
 * `pos.exception` messages, all in the same transaction. Transactions refused by the parser are listed
 * in `errors` with their positions.
 */
export async function ingestPosTransactions(ctx: CommandContext, document: PosDocument<PreparedPosTransaction>, settings: Partial<PosIngestSettings> = {}): Promise<PosIngestSummary> {
  const options: PosIngestSettings = { correlationWindowSeconds: DEFAULT_CORRELATION_WINDOW_SECONDS, incidentExceptions: [], ...settings };
  const txs = document.transactions;
  const place = await placements(ctx, txs);
  const endpoints = (await ctx.trx('webhook_endpoints').where({ tenant_id: ctx.tenantId, enabled: true }).whereRaw("'pos.exception' = ANY(event_types)").pluck('id')) as string[];
  const errors = [...document.rejected];
  const indexOf = positions(document);
  const summary: PosIngestSummary = { received: txs.length + document.rejected.length, created: 0, duplicates: 0, unmatched: 0, exceptions: 0, linked: 0, incidentsCreated: 0, rejected: 0, errors: [] };
  const audit: AuditEntry[] = [];
  for (let start = 0; start < txs.length; start += INSERT_CHUNK) {
    // PGlite answers a query within the same turn of the event loop (its promises resolve as microtasks),
    // so without this a 30,000-transaction upload would hold every other request until it is stored.
    if (start > 0) await nextTurn();
    const rows = buildRows(ctx, txs.slice(start, start + INSERT_CHUNK), indexOf, place, errors);
    if (rows.length === 0) continue;
    const inserted = (await ctx.trx('pos_transactions').insert(rows.map((r) => r.record))
      .onConflict(['tenant_id', 'environment', 'pos_store_id', 'workstation_id', 'sequence_number', 'occurred_at']).ignore().returning('id')) as Array<{ id: string }>;
    const isFresh = new Set(inserted.map((r) => r.id));
    const fresh = rows.filter((r) => isFresh.has(r.record.id));
    summary.duplicates += rows.length - fresh.length;
    summary.created += fresh.length;
    summary.unmatched += fresh.filter((r) => r.where.laneId === null).length;
    const outcome = await correlate(ctx, fresh, options);
    audit.push(...outcome.audit);
    summary.incidentsCreated += outcome.incidentsCreated.length;
    const incidentsOf = groupLinks(outcome.links);
    summary.linked += incidentsOf.size;
    const exceptional = fresh.filter((row) => row.tx.exceptions.length > 0);
    summary.exceptions += exceptional.length;
    await insertMessages(ctx.trx, ctx.tenantId, exceptional.map((r) => ({
      message: { type: 'pos.exception', subjectId: r.record.id, data: exceptionData(r, incidentsOf.get(r.record.id) ?? []) }, destinations: endpoints,
    })));
  }
  summary.errors = errors.sort((a, b) => a.index - b.index);
  summary.rejected = summary.errors.length;
  const counts = { ...summary, errors: summary.errors.slice(0, 20) };
  await writeAudit(ctx, [...audit, { action: 'pos.ingested', subjectType: 'PosTransaction', subjectId: ctx.requestId ?? 'batch', after: counts }]);
  return summary;
}

/** 1-based document positions of the valid transactions (the refused ones hold the other positions). */
function positions(document: PosDocument<PreparedPosTransaction>): Map<PreparedPosTransaction, number> {
  const taken = new Set(document.rejected.map((r) => r.index));
  const map = new Map<PreparedPosTransaction, number>();
  let position = 0;
  for (const tx of document.transactions) {
    do position += 1;
    while (taken.has(position));
    map.set(tx, position);
  }
  return map;
}

function groupLinks(links: PosLink[]): Map<string, string[]> {
  const byTx = new Map<string, string[]>();
  for (const link of links) byTx.set(link.posTransactionId, [...(byTx.get(link.posTransactionId) ?? []), link.incidentId]);
  return byTx;
}
