import type { Knex } from 'knex';
import { z } from 'zod';
import { OPEN_STATES, type DetectionEvent } from '../../contracts/index.js';
import { AUDIT_TAIL_SQL, auditTailBindings } from '../audit/index.js';
import { routableEndpoints, ROUTABLE_ENDPOINTS_SQL, type RoutableEndpoint } from '../webhooks/index.js';
import { BOUND_ENVIRONMENT_SQL, mergeBucketOf } from '../../models/index.js';
import type { MergeableIncident } from './incident-merger.js';

// The statements of the incident path, each one round trip: taking the camera-and-type locks, reading
// what a batch needs once they are held (events already stored, open incidents), and writing incidents
// and events together.

/** The advisory-lock keys of a batch, one per camera and type, sorted so concurrent batches take them in one order. */
export function groupKeys(tenantId: string, events: readonly DetectionEvent[]): string[] {
  return [...new Set(events.map((e) => `${tenantId}/${e.cameraId}/${e.type}`))].sort();
}

/** Takes the locks of the `?::text[]` keys in order and yields one row; other statements join it as a CTE. */
export const LOCK_KEYS_SQL = 'SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) AS locked FROM (SELECT unnest(?::text[]) AS k ORDER BY 1) keys';

/** Serialises concurrent batches for one camera and type, so a replay or a race cannot open two incidents. */
export async function lockGroups(trx: Knex.Transaction, tenantId: string, events: DetectionEvent[]): Promise<void> {
  const keys = groupKeys(tenantId, events);
  if (keys.length > 0) await trx.raw(LOCK_KEYS_SQL, [keys]);
}

const timestamp = z.union([z.string(), z.date()]).transform((v) => new Date(v));
const openIncidentRow = z.object({
  id: z.string(), store_id: z.string(), region_id: z.string(), lane_id: z.string().nullable(), camera_id: z.string(), type: z.string(),
  severity: z.string(), confidence: z.coerce.number(), event_count: z.coerce.number(), opened_at: timestamp, last_event_at: timestamp,
  program_id: z.string().nullable(), shadow: z.boolean(),
});
const seenRow = z.object({ id: z.string(), incident_id: z.string().nullable() });

const toMergeable = (r: z.infer<typeof openIncidentRow>): MergeableIncident => ({
  id: r.id, storeId: r.store_id, regionId: r.region_id, laneId: r.lane_id, cameraId: r.camera_id, type: r.type, severity: r.severity,
  confidence: r.confidence, eventCount: r.event_count, openedAt: r.opened_at, lastEventAt: r.last_event_at, programId: r.program_id, shadow: r.shadow,
  isNew: false, touched: false,
});

const OPEN_COLUMNS = 'id, store_id, region_id, lane_id, camera_id, type, severity, confidence, event_count, opened_at, last_event_at, program_id, shadow';
/**
 * The open incidents of the batch's camera-and-type pairs, one index probe per pair on incidents_merge_lookup
 * (tenant_id, environment, camera_id, type, merge_bucket), then the exact `last_event_at` (OFFSET 0 keeps the
 * subquery from being flattened into a join). The environment is named as row-level security names it, so the
 * index matches every predicate and the plan does not depend on the table's statistics (a table never
 * analysed would otherwise be scanned tenant-wide through another index).
 */
const OPEN_INCIDENTS_SQL = `SELECT o.* FROM unnest(?::text[], ?::text[]) AS k(camera_id, type)
  CROSS JOIN LATERAL (SELECT ${OPEN_COLUMNS} FROM incidents i
    WHERE i.tenant_id = ? AND i.environment = ${BOUND_ENVIRONMENT_SQL} AND i.camera_id = k.camera_id AND i.type = k.type
      AND i.merge_bucket >= ${mergeBucketOf('?::timestamptz')} AND i.last_event_at >= ? AND i.state = ANY(?) AND i.opened_at <= ? OFFSET 0) o`;

/** The bindings of OPEN_INCIDENTS_SQL: incidents whose span, widened by the largest merge window, can reach one of the events. */
function openBindings(tenantId: string, events: readonly DetectionEvent[], maxWindowMs: number): Knex.RawBinding[] {
  const times = events.map((e) => Date.parse(e.occurredAt));
  const earliest = new Date(times.length > 0 ? Math.min(...times) - maxWindowMs : 0);
  const latest = new Date(times.length > 0 ? Math.max(...times) + maxWindowMs : 0);
  const pairs = [...new Map(events.map((e) => [`${e.cameraId}/${e.type}`, e])).values()];
  return [pairs.map((e) => e.cameraId), pairs.map((e) => e.type), tenantId, earliest, earliest, [...OPEN_STATES], latest];
}

export async function loadOpenIncidents(trx: Knex.Transaction, tenantId: string, events: DetectionEvent[], maxWindowMs: number): Promise<MergeableIncident[]> {
  const { rows } = await trx.raw<{ rows: unknown[] }>(OPEN_INCIDENTS_SQL, openBindings(tenantId, events, maxWindowMs));
  return rows.map((r) => toMergeable(openIncidentRow.parse(r)));
}

/**
 * In one round trip, once the batch's locks are held: which of the `ids` are stored already (with their
 * incident), the open incidents the `detections` may merge into, the tenant's webhook endpoints, and the
 * tail of the audit shard this transaction takes (AUDIT_TAIL_SQL, which locks it). Detections that turn out
 * to be replays only widen the second read; the merger ignores incidents no event reaches. Stored ids are
 * found through the primary key (tenant_id, id, …), one probe per id (a nested loop whatever the planner
 * believes of the table's size), however large the partitions grow.
 */
export async function loadSeenAndOpen(
  trx: Knex.Transaction, tenantId: string, ids: string[], detections: readonly DetectionEvent[], maxWindowMs: number,
): Promise<{ seen: Map<string, string | null>; open: MergeableIncident[]; endpoints: RoutableEndpoint[]; auditTail: unknown }> {
  const { rows } = await trx.raw<{ rows: Array<{ seen: unknown; open: unknown; endpoints: unknown; tail: unknown }> }>(
    `SELECT (SELECT coalesce(json_agg(json_build_object('id', d.id, 'incident_id', d.incident_id)), '[]'::json)
               FROM unnest(?::text[]) AS wanted(id),
                    LATERAL (SELECT s.id, s.incident_id FROM detection_events s WHERE s.tenant_id = ? AND s.id = wanted.id LIMIT 1) d) AS seen,
            (SELECT coalesce(json_agg(i), '[]'::json) FROM (${OPEN_INCIDENTS_SQL}) i) AS open,
            (${ROUTABLE_ENDPOINTS_SQL}) AS endpoints,
            (SELECT row_to_json(t) FROM (${AUDIT_TAIL_SQL}) t) AS tail`,
    [ids, tenantId, ...openBindings(tenantId, detections, maxWindowMs), tenantId, ...auditTailBindings(tenantId)],
  );
  const seen = z.array(seenRow).parse(rows[0]?.seen ?? []);
  const open = z.array(openIncidentRow).parse(rows[0]?.open ?? []);
  return { seen: new Map(seen.map((r) => [r.id, r.incident_id])), open: open.map(toMergeable), endpoints: routableEndpoints(rows[0]?.endpoints ?? []), auditTail: rows[0]?.tail ?? null };
}

/** A detection event as stored. */
export interface EventRow {
  id: string;
  occurredAt: string;
  storeId: string;
  cameraId: string;
  laneId: string | null;
  sourceId: string;
  type: string;
  severity: string;
  confidence: number;
  incidentId: string | null;
  payload: DetectionEvent;
}

export interface Part {
  sql: string;
  bindings: readonly Knex.RawBinding[];
}

function newIncidentsPart(trx: Knex.Transaction, tenantId: string, fresh: MergeableIncident[]): Part {
  const { sql, bindings } = trx('incidents').insert(fresh.map((i) => ({
    tenant_id: tenantId, id: i.id, store_id: i.storeId, region_id: i.regionId, lane_id: i.laneId, camera_id: i.cameraId,
    type: i.type, severity: i.severity, state: 'new', confidence: i.confidence, event_count: i.eventCount,
    opened_at: i.openedAt, last_event_at: i.lastEventAt, program_id: i.programId, shadow: i.shadow,
  }))).toSQL();
  return { sql: `${sql} RETURNING 1`, bindings };
}

function mergedIncidentsPart(tenantId: string, merged: MergeableIncident[]): Part {
  const rows = merged.map((i) => ({ id: i.id, severity: i.severity, confidence: i.confidence, event_count: i.eventCount, opened_at: i.openedAt, last_event_at: i.lastEventAt }));
  // One JSON parameter however many incidents (as for the events): no per-value binds to build and parse.
  // A merge that moves no indexed value (see models/incident-buckets.ts) is a HOT update.
  return {
    sql: `UPDATE incidents AS i SET severity = v.severity, confidence = v.confidence, event_count = v.event_count,
            opened_at = v.opened_at, last_event_at = v.last_event_at, updated_at = now()
       FROM json_to_recordset(?::json) AS v(id text, severity text, confidence double precision, event_count int, opened_at timestamptz, last_event_at timestamptz)
      WHERE i.tenant_id = ? AND i.id = ANY(?::text[]) AND i.id = v.id RETURNING 1`,
    bindings: [JSON.stringify(rows), tenantId, merged.map((i) => i.id)],
  };
}

/** All events as one JSON parameter: one bind however large the batch. A replayed id (a race lost before the lock) is skipped. */
function eventsPart(tenantId: string, events: EventRow[]): Part {
  const rows = events.map((e) => ({
    tenant_id: tenantId, id: e.id, occurred_at: e.occurredAt, store_id: e.storeId, camera_id: e.cameraId, lane_id: e.laneId, source_id: e.sourceId,
    type: e.type, severity: e.severity, confidence: e.confidence, incident_id: e.incidentId, payload: e.payload,
  }));
  const columns = 'tenant_id, id, occurred_at, store_id, camera_id, lane_id, source_id, type, severity, confidence, incident_id, payload';
  return {
    sql: `INSERT INTO detection_events (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::detection_events, ?::json)
          ON CONFLICT (tenant_id, id, occurred_at) DO NOTHING RETURNING 1`,
    bindings: [JSON.stringify(rows)],
  };
}

/**
 * Inserts the new incidents, updates the merged ones and inserts the events, in one statement; with
 * `alsoWrite`, another command's insert (ending in RETURNING) goes in the same statement too.
 */
export async function writeIncidentsAndEvents(trx: Knex.Transaction, tenantId: string, incidents: MergeableIncident[], events: EventRow[], alsoWrite: Part[] = []): Promise<void> {
  const fresh = incidents.filter((i) => i.isNew);
  const merged = incidents.filter((i) => !i.isNew);
  const parts = [
    ...(fresh.length > 0 ? [newIncidentsPart(trx, tenantId, fresh)] : []),
    ...(merged.length > 0 ? [mergedIncidentsPart(tenantId, merged)] : []),
    ...(events.length > 0 ? [eventsPart(tenantId, events)] : []),
    ...alsoWrite,
  ];
  if (parts.length === 0) return;
  const ctes = parts.map((p, i) => `w${i} AS (${p.sql})`).join(', ');
  const counts = parts.map((_, i) => `(SELECT count(*) FROM w${i})`).join(' + ');
  await trx.raw(`WITH ${ctes} SELECT ${counts} AS written`, parts.flatMap((p) => p.bindings));
}

export async function writeIncidents(trx: Knex.Transaction, tenantId: string, incidents: MergeableIncident[]): Promise<void> {
  await writeIncidentsAndEvents(trx, tenantId, incidents, []);
}
