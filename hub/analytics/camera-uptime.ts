import type { Knex } from 'knex';
import { outageEndJoins, outageEndSql, RECOVERY_SQL } from './camera-health.js';
import type { ScopeFilter } from './queries.js';

// Camera health and uptime over a range (docs/analytics.md, "Camera health and uptime"), from the camera health
// rollups; `cameraHealthFromRaw` computes the same figure from the raw tables (the benchmark's baseline).

/** The fields of the incidents' rules these figures can apply: every camera health row keeps them. */
export const CAMERA_HEALTH_FIELDS: readonly string[] = ['storeId', 'regionId', 'laneId', 'shadow'];

export interface CameraHealthFilter { from: Date; to: Date; regionId?: string | undefined; storeId?: string | undefined; laneId?: string | undefined }

export type CameraState = 'online' | 'degraded' | 'offline';

export interface CameraHealthRow {
  cameraId: string;
  storeId: string;
  regionId: string;
  laneId: string | null;
  /** Seconds of the range up to now (the range's end when it has passed). */
  observedSeconds: number;
  downtimeSeconds: number;
  /** Online share of the observed time; null when none of the range has passed. */
  uptime: number | null;
  outages: number;
  longestOutageSeconds: number;
  /** Now, not at the range's end: offline while an outage is open, degraded when the latest report says so. */
  currentState: CameraState;
  offlineReports: number;
  degradedReports: number;
  tamperReports: number;
}

interface Bounds { from: Date; end: Date }

/** What a figure reads: the tenant, the filter, the caller's scope, and now. */
export interface CameraHealthSource { trx: Knex.Transaction; tenantId: string; filter: CameraHealthFilter; scope: ScopeFilter; now: Date }

/** The filter's store, region and lane on a table with those columns, and the caller's scope. */
function narrowed(source: CameraHealthSource, qb: Knex.QueryBuilder, table: string): Knex.QueryBuilder {
  for (const [field, column] of [['regionId', 'region_id'], ['storeId', 'store_id'], ['laneId', 'lane_id']] as const) {
    const value = source.filter[field];
    if (value !== undefined) void qb.where(`${table}.${column}`, value);
  }
  source.scope.apply(qb, table);
  return qb.where(`${table}.tenant_id`, source.tenantId);
}

/** The cameras in scope: the directory's, placed by their store's region (a camera that was never down is up all the range). */
function camerasQuery(source: CameraHealthSource): Knex.QueryBuilder {
  const t = 'health_cameras';
  const qb = source.trx.queryBuilder().from(source.trx.raw(`(SELECT c.tenant_id, c.id AS camera_id, c.store_id, s.region_id, c.lane_id, false AS shadow
    FROM cameras c JOIN stores s ON s.tenant_id = c.tenant_id AND s.id = c.store_id) AS ${t}`));
  return narrowed(source, qb, t).select(`${t}.camera_id`, `${t}.store_id`, `${t}.region_id`, `${t}.lane_id`);
}

/** `islandsSql` with its named bounds as positional bindings. */
const boundSql = (sql: string) => sql.replace(/:from|:end/g, '?::timestamptz');

/**
 * Per camera: the outages merged where they overlap (two open incidents of one camera are one outage), clipped to
 * [from, end), as count, total and longest, in milliseconds. `intervals` is a relation (camera_id, started_at, ended_at).
 */
function islandsSql(intervals: string): string {
  return `WITH clipped AS (
      SELECT camera_id, greatest(started_at, :from) AS s, least(coalesce(ended_at, :end), :end) AS e FROM (${intervals}) x
    ), ordered AS (
      SELECT camera_id, s, e, max(e) OVER (PARTITION BY camera_id ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before_end FROM clipped WHERE e > s
    ), numbered AS (
      SELECT camera_id, s, e, sum(CASE WHEN before_end IS NULL OR s > before_end THEN 1 ELSE 0 END) OVER (PARTITION BY camera_id ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS island FROM ordered
    ), islands AS (
      SELECT camera_id, round(extract(epoch FROM max(e) - min(s)) * 1000)::bigint AS ms FROM numbered GROUP BY camera_id, island
    )
    SELECT camera_id, count(*)::int AS outages, sum(ms)::bigint AS down_ms, max(ms)::bigint AS longest_ms FROM islands GROUP BY camera_id`;
}

interface OutageSums { camera_id: string; outages: number; down_ms: string; longest_ms: string }
interface ReportSums { camera_id: string; offline: string; degraded: string; tamper: string }

async function outageSums(source: CameraHealthSource, bounds: Bounds): Promise<OutageSums[]> {
  const t = 'analytics_camera_outages';
  const overlapping = narrowed(source, source.trx(t), t).where(`${t}.started_at`, '<', bounds.end)
    .whereRaw(`coalesce(${t}.ended_at, 'infinity'::timestamptz) > ?`, [bounds.from])
    .select(`${t}.camera_id`, `${t}.started_at`, `${t}.ended_at`).toSQL();
  const { rows } = await source.trx.raw<{ rows: OutageSums[] }>(boundSql(islandsSql(overlapping.sql)), islandBindings(overlapping.bindings, bounds));
  return rows;
}

/** The bindings of `islandsSql` in order: from, end, end, then the inner relation's. */
function islandBindings(inner: readonly unknown[], bounds: Bounds): Knex.RawBinding[] {
  return [bounds.from, bounds.end, bounds.end, ...(inner as Knex.RawBinding[])];
}

async function reportSums(source: CameraHealthSource): Promise<ReportSums[]> {
  const t = 'analytics_camera_report_hours';
  return narrowed(source, source.trx(t), t).where(`${t}.hour`, '>=', source.filter.from).where(`${t}.hour`, '<', source.filter.to)
    .groupBy(`${t}.camera_id`).select(`${t}.camera_id`, source.trx.raw('sum(offline_reports)::bigint AS offline, sum(degraded_reports)::bigint AS degraded, sum(tamper_reports)::bigint AS tamper')) as Promise<ReportSums[]>;
}

/** Cameras offline now (an open outage begun by now) and the state of each camera's latest report (through the camera's index, one row each). */
async function currentStates(source: CameraHealthSource, cameraIds: string[]): Promise<Map<string, CameraState>> {
  const { trx, tenantId, now } = source;
  const open = await trx('analytics_camera_outages').where({ tenant_id: tenantId }).whereNull('ended_at').where('started_at', '<=', now).distinct('camera_id') as Array<{ camera_id: string }>;
  const { rows: latest } = await trx.raw<{ rows: Array<{ camera_id: string; last_state: string }> }>(`SELECT c.camera_id, r.last_state FROM unnest(?::text[]) AS c(camera_id)
    CROSS JOIN LATERAL (SELECT last_state FROM analytics_camera_report_hours WHERE tenant_id = ? AND camera_id = c.camera_id AND last_report_at <= ?
      ORDER BY hour DESC, last_report_at DESC LIMIT 1) r`, [cameraIds, tenantId, now]);
  const states = new Map<string, CameraState>(latest.filter((r) => r.last_state === 'degraded').map((r) => [r.camera_id, 'degraded']));
  for (const r of open) states.set(r.camera_id, 'offline');
  return states;
}

/** The range's end for downtime: now, when the range has not ended yet. */
export function boundsOf(filter: CameraHealthFilter, now: Date): Bounds {
  const end = filter.to < now ? filter.to : now;
  return { from: filter.from, end: end > filter.from ? end : filter.from };
}

/** Per camera in scope, by store then camera id. */
export async function cameraHealth(source: CameraHealthSource): Promise<CameraHealthRow[]> {
  const bounds = boundsOf(source.filter, source.now);
  const cameras = await camerasQuery(source).orderBy(['store_id', 'camera_id']) as Array<{ camera_id: string; store_id: string; region_id: string; lane_id: string | null }>;
  const outages = new Map((await outageSums(source, bounds)).map((r) => [r.camera_id, r]));
  const reports = new Map((await reportSums(source)).map((r) => [r.camera_id, r]));
  const states = await currentStates(source, cameras.map((c) => c.camera_id));
  const observedMs = bounds.end.getTime() - bounds.from.getTime();
  return cameras.map((c) => {
    const o = outages.get(c.camera_id);
    const r = reports.get(c.camera_id);
    const downMs = Number(o?.down_ms ?? 0);
    return {
      cameraId: c.camera_id, storeId: c.store_id, regionId: c.region_id, laneId: c.lane_id,
      observedSeconds: observedMs / 1000, downtimeSeconds: downMs / 1000, uptime: observedMs > 0 ? (observedMs - downMs) / observedMs : null,
      outages: o?.outages ?? 0, longestOutageSeconds: Number(o?.longest_ms ?? 0) / 1000, currentState: states.get(c.camera_id) ?? 'online',
      offlineReports: Number(r?.offline ?? 0), degradedReports: Number(r?.degraded ?? 0), tamperReports: Number(r?.tamper ?? 0),
    };
  });
}

/**
 * The same downtime figure straight from the raw tables (incidents, their recovery reports and transitions) for
 * every camera of a tenant: what the benchmark compares the rollup with.
 */
export async function rawCameraDowntime(trx: Knex.Transaction, tenantId: string, filter: CameraHealthFilter, now: Date): Promise<Array<{ camera_id: string; outages: number; down_ms: string; longest_ms: string }>> {
  const bounds = boundsOf(filter, now);
  const intervals = `SELECT i.camera_id, i.opened_at AS started_at, ${outageEndSql('i')} AS ended_at FROM incidents i ${outageEndJoins('i')}
    WHERE i.tenant_id = ? AND i.type = 'camera_health' AND i.opened_at < ?::timestamptz`;
  const { rows } = await trx.raw<{ rows: Array<{ camera_id: string; outages: number; down_ms: string; longest_ms: string }> }>(
    boundSql(islandsSql(intervals)), [bounds.from, bounds.end, bounds.end, tenantId, bounds.end]);
  return rows;
}

/** The raw tables' camera_health reports per camera in the range (the benchmark's baseline of the report counts). */
export async function rawCameraReports(trx: Knex.Transaction, tenantId: string, filter: CameraHealthFilter): Promise<Array<{ camera_id: string; offline: string }>> {
  const { rows } = await trx.raw<{ rows: Array<{ camera_id: string; offline: string }> }>(`SELECT camera_id, count(*) FILTER (WHERE NOT ${RECOVERY_SQL('e')})::bigint AS offline
    FROM detection_events e WHERE e.tenant_id = ? AND e.type = 'camera_health' AND e.occurred_at >= ? AND e.occurred_at < ? GROUP BY camera_id`, [tenantId, filter.from, filter.to]);
  return rows;
}
