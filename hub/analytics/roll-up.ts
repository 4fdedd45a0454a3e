import type { Knex } from 'knex';

import { DURATION_BOUNDS, HISTOGRAM_SIZE } from './histogram.js';
import { rebuildCameraHealth, refreshCameraHealth } from './camera-health.js';
import { COARSE_TABLES, analyzed, noteTouchedRegions, rebuildLevels, refreshLevels } from './levels.js';

export { DURATION_BOUNDS, HISTOGRAM_SIZE, durationBucket } from './histogram.js';

// One advisory lock for the roll-up: two workers recomputing the same hour would both delete and insert it.
const LOCK_KEY = 0x616e_616c; // 'anal'

/** The bucket of a duration in seconds (the first bound it does not exceed), null for null. */
const bucketOf = (seconds: string) => `CASE WHEN ${seconds} IS NULL THEN NULL ${DURATION_BOUNDS.map((bound, i) => `WHEN ${seconds} <= ${bound} THEN ${i}`).join(' ')} ELSE ${DURATION_BOUNDS.length} END`;
const histogram = (bucket: string) => `ARRAY[${Array.from({ length: HISTOGRAM_SIZE }, (_, i) => `count(*) FILTER (WHERE ${bucket} = ${i})`).join(', ')}]::int[]`;

/**
 * The aggregate of incidents into hourly rows. `hours` is a relation (tenant_id, environment, hour, store_id) saying
 * which store hours to compute (null: every incident); each incident counts in the UTC hour it opened. Acknowledged: the first move out of `new`;
 * resolved: an incident whose state is resolved now, timed to its latest resolution (a reopened incident counts
 * again only once resolved again), with its outcome's result and recovered value.
 */
function aggregateSql(hours: string | null, tenantFilter = ''): string {
  return `
    INSERT INTO analytics_incident_hours (tenant_id, environment, hour, store_id, region_id, lane_id, type, severity, shadow, outcome,
      incidents, events, acknowledged, ack_histogram, resolved, resolve_histogram, recovered_value)
    SELECT tenant_id, environment, hour, store_id, max(region_id), lane_id, type, severity, shadow, outcome,
      count(*)::int, sum(event_count)::bigint,
      count(ack_bucket)::int, ${histogram('ack_bucket')},
      count(resolve_bucket)::int, ${histogram('resolve_bucket')},
      coalesce(sum(recovered), 0)
    FROM (
      SELECT i.tenant_id, i.environment, date_trunc('hour', i.opened_at, 'UTC') AS hour, i.store_id, i.region_id, i.lane_id, i.type, i.severity, i.shadow,
        i.event_count, CASE WHEN i.state = 'resolved' THEN i.outcome->>'result' END AS outcome,
        CASE WHEN i.state = 'resolved' THEN (i.outcome->>'recoveredValue')::numeric END AS recovered,
        ${bucketOf('extract(epoch FROM t.ack_at - i.opened_at)')} AS ack_bucket,
        CASE WHEN i.state = 'resolved' THEN ${bucketOf('extract(epoch FROM t.resolved_at - i.opened_at)')} END AS resolve_bucket
      FROM ${hours === null ? `incidents i ${tenantFilter}` : `(${hours}) h
      JOIN incidents i ON i.tenant_id = h.tenant_id AND i.environment = h.environment AND i.store_id = h.store_id AND i.opened_at >= h.hour AND i.opened_at < h.hour + interval '1 hour'`}
      LEFT JOIN LATERAL (
        SELECT min(tr.at) FILTER (WHERE tr.from_state = 'new') AS ack_at, max(tr.at) FILTER (WHERE tr.to_state = 'resolved') AS resolved_at
        FROM incident_transitions tr WHERE tr.tenant_id = i.tenant_id AND tr.incident_id = i.id
      ) t ON true
    ) x
    GROUP BY tenant_id, environment, hour, store_id, lane_id, type, severity, shadow, outcome`;
}

/**
 * The planner overestimates the hour joins (no statistics on the touched hours) and JIT-compiles them, which costs
 * seconds for a statement that runs in milliseconds; these are short queries, so JIT stays off in their transaction.
 */
export async function noJit(trx: Knex.Transaction): Promise<void> {
  await trx.raw('SET LOCAL jit = off');
}

async function locked<T>(knex: Knex, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T | null> {
  return knex.transaction(async (trx) => {
    const { rows } = await trx.raw<{ rows: Array<{ ok: boolean }> }>('SELECT pg_try_advisory_xact_lock(?) AS ok', [LOCK_KEY]);
    if (!rows[0]?.ok) return null;
    await noJit(trx);
    return fn(trx);
  });
}

/**
 * Recomputes the hours touched since the last run (up to `limit` change-log rows, of every tenant) from the raw
 * tables, in one transaction: the change-log rows are deleted, the hours' rollup rows replaced. Runs as the owner
 * role (the worker). Returns how many change-log rows were folded, or null when another worker holds the roll-up.
 */
export async function rollUpAnalytics(knex: Knex, limit = 5_000): Promise<number | null> {
  return locked(knex, async (trx) => {
    await trx.raw('CREATE TEMP TABLE analytics_touched (tenant_id text, environment text, hour timestamptz, store_id text) ON COMMIT DROP');
    const { rows } = await trx.raw<{ rows: Array<{ n: number }> }>(`
      WITH picked AS (
        SELECT tenant_id, id FROM analytics_dirty_hours ORDER BY tenant_id, id LIMIT ?
      ), moved AS (
        DELETE FROM analytics_dirty_hours d USING picked p WHERE d.tenant_id = p.tenant_id AND d.id = p.id RETURNING d.tenant_id, d.environment, d.hour, d.store_id
      ), kept AS (
        INSERT INTO analytics_touched SELECT DISTINCT tenant_id, environment, hour, store_id FROM moved RETURNING 1
      )
      SELECT (SELECT count(*) FROM moved)::int AS n, (SELECT count(*) FROM kept)::int AS hours`, [limit]);
    const folded = rows[0]?.n ?? 0;
    if (folded === 0) return 0;
    await analyzed(trx, 'analytics_touched');
    await noteTouchedRegions(trx);
    await trx.raw(`DELETE FROM analytics_incident_hours a USING analytics_touched h
      WHERE a.tenant_id = h.tenant_id AND a.environment = h.environment AND a.hour = h.hour AND a.store_id = h.store_id`);
    await trx.raw(aggregateSql('SELECT tenant_id, environment, hour, store_id FROM analytics_touched'));
    await noteTouchedRegions(trx);
    await refreshLevels(trx);
    await refreshCameraHealth(trx);
    return folded;
  });
}

/** Folds the whole change log, batch by batch; returns how many rows were folded (0 when another worker held it). */
export async function rollUpAllAnalytics(knex: Knex, signal?: AbortSignal): Promise<number> {
  let total = 0;
  for (let n = await rollUpAnalytics(knex); n !== null && n > 0 && !signal?.aborted; n = await rollUpAnalytics(knex)) total += n;
  return total;
}

/**
 * Throws the rollups away and computes them again from the raw tables (one tenant, or all), waiting for the
 * roll-up lock. What `vigil analytics rebuild` runs; the result equals what the incremental roll-up converges to.
 */
export async function rebuildAnalytics(knex: Knex, tenantId?: string): Promise<{ rows: number }> {
  return knex.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(?)', [LOCK_KEY]);
    await noJit(trx);
    const where = tenantId ? 'WHERE tenant_id = ?' : '';
    const bindings = tenantId ? [tenantId] : [];
    await trx.raw(`DELETE FROM analytics_dirty_hours ${where}`, bindings);
    for (const table of ['analytics_incident_hours', ...COARSE_TABLES]) await trx.raw(`DELETE FROM ${table} ${where}`, bindings);
    const result = await trx.raw<{ rowCount: number }>(aggregateSql(null, tenantId ? 'WHERE i.tenant_id = ?' : ''), bindings);
    await rebuildLevels(trx, tenantId);
    await rebuildCameraHealth(trx, tenantId);
    return { rows: result.rowCount };
  });
}
