import type { Knex } from 'knex';
import { BOUND_ENVIRONMENT_SQL, mergeBucketOf } from '../../models/index.js';
import { writeAudit, type AuditEntry, type CommandContext } from '../audit/index.js';

/** Default of the hub's `pos.correlationWindowSeconds`: video within 2 minutes of a transaction belongs to it. */
export const DEFAULT_CORRELATION_WINDOW_SECONDS = 120;
/** Longest transaction the event-side lookup expects; bounds the scan of the (lane, begin_at) index. */
const MAX_TRANSACTION_MS = 3_600_000;

export type LinkReason = 'same_lane_window' | 'pos_only';

export interface PosLink {
  posTransactionId: string;
  incidentId: string;
  laneId: string;
  reason: LinkReason;
}

/** The stored facts of a POS transaction that correlation reads. */
export interface LaneTransaction {
  id: string;
  laneId: string;
  storeId: string;
  beginAt: Date;
  endAt: Date;
}

/** A detection event placed on a lane and assigned to an incident. */
export interface LaneEvent {
  laneId: string;
  occurredAt: Date;
  incidentId: string;
}

const iso = (at: Date): string => at.toISOString();

/**
 * Video incidents (any type but pos_exception, which the POS side opens itself) of each transaction's
 * lane whose span reaches into the transaction's begin..end widened by the window; one query per call.
 */
export async function findVideoIncidents(trx: Knex.Transaction, tenantId: string, txs: LaneTransaction[], windowMs: number): Promise<PosLink[]> {
  if (txs.length === 0) return [];
  const { rows } = await trx.raw<{ rows: Array<{ tx_id: string; lane_id: string; incident_id: string }> }>(
    `SELECT v.tx_id, v.lane_id, i.id AS incident_id
       FROM unnest(?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[]) AS v(tx_id, lane_id, store_id, from_at, to_at)
       JOIN incidents i ON i.tenant_id = ? AND i.environment = ${BOUND_ENVIRONMENT_SQL} AND i.lane_id = v.lane_id
        AND i.merge_bucket >= ${mergeBucketOf('v.from_at')} AND i.store_id = v.store_id
      WHERE i.type <> 'pos_exception' AND i.opened_at <= v.to_at AND i.last_event_at >= v.from_at
      ORDER BY v.tx_id, i.id`,
    [
      txs.map((t) => t.id), txs.map((t) => t.laneId), txs.map((t) => t.storeId),
      txs.map((t) => iso(new Date(t.beginAt.getTime() - windowMs))), txs.map((t) => iso(new Date(t.endAt.getTime() + windowMs))), tenantId,
    ],
  );
  return rows.map((r) => ({ posTransactionId: r.tx_id, incidentId: r.incident_id, laneId: r.lane_id, reason: 'same_lane_window' }));
}

/** POS transactions of each event's lane whose begin..end, widened by the window, covers the event. */
export async function findLaneTransactions(trx: Knex.Transaction, tenantId: string, events: LaneEvent[], windowMs: number): Promise<PosLink[]> {
  if (events.length === 0) return [];
  const { rows } = await trx.raw<{ rows: Array<{ tx_id: string; lane_id: string; incident_id: string }> }>(
    `SELECT DISTINCT p.id AS tx_id, p.lane_id, v.incident_id
       FROM unnest(?::text[], ?::timestamptz[], ?::text[]) AS v(lane_id, at, incident_id)
       JOIN pos_transactions p ON p.tenant_id = ? AND p.lane_id = v.lane_id
        AND p.begin_at <= v.at + make_interval(secs => ?) AND p.begin_at >= v.at - make_interval(secs => ?)
      WHERE coalesce(p.end_at, p.begin_at) >= v.at - make_interval(secs => ?)
      ORDER BY 1, 3`,
    [events.map((e) => e.laneId), events.map((e) => iso(e.occurredAt)), events.map((e) => e.incidentId), tenantId, windowMs / 1000, (windowMs + MAX_TRANSACTION_MS) / 1000, windowMs / 1000],
  );
  return rows.map((r) => ({ posTransactionId: r.tx_id, incidentId: r.incident_id, laneId: r.lane_id, reason: 'same_lane_window' }));
}

/**
 * Stores links (a link already there is kept as it is) and returns the new ones with one audit entry
 * each, for the calling command to write with its own records.
 */
export async function writeLinks(ctx: CommandContext, links: PosLink[], linkedAt: Date): Promise<{ created: PosLink[]; audit: AuditEntry[] }> {
  if (links.length === 0) return { created: [], audit: [] };
  const inserted = (await ctx.trx('pos_incident_links')
    .insert(links.map((l) => ({ tenant_id: ctx.tenantId, pos_transaction_id: l.posTransactionId, incident_id: l.incidentId, lane_id: l.laneId, reason: l.reason, linked_at: linkedAt })))
    .onConflict(['tenant_id', 'pos_transaction_id', 'incident_id']).ignore()
    .returning(['pos_transaction_id', 'incident_id'])) as Array<{ pos_transaction_id: string; incident_id: string }>;
  const isNew = new Set(inserted.map((r) => `${r.pos_transaction_id}\u0000${r.incident_id}`));
  const created = links.filter((l) => isNew.has(`${l.posTransactionId}\u0000${l.incidentId}`));
  const audit = created.map((l) => ({
    action: 'pos.linked', subjectType: 'Incident', subjectId: l.incidentId,
    after: { posTransactionId: l.posTransactionId, laneId: l.laneId, reason: l.reason },
  }));
  return { created, audit };
}

/**
 * The event side of correlation: the events just stored that sit on a lane are linked to the POS
 * transactions of that lane around their time (the POS side links the other order of arrival).
 */
export async function linkEventsToPos(ctx: CommandContext, events: LaneEvent[], options: { windowSeconds?: number } = {}): Promise<PosLink[]> {
  const windowMs = (options.windowSeconds ?? DEFAULT_CORRELATION_WINDOW_SECONDS) * 1000;
  const links = await findLaneTransactions(ctx.trx, ctx.tenantId, events, windowMs);
  const { created, audit } = await writeLinks(ctx, links, ctx.now?.() ?? new Date());
  await writeAudit(ctx, audit);
  return created;
}
