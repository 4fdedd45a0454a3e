import type { Knex } from 'knex';
import { OPEN_STATES } from '../../contracts/index.js';
import { analyzed } from './levels.js';

// The camera health rollups (migration 20261212000100, docs/analytics.md "Camera health and uptime"): one row per
// outage (a camera_health incident) with its start and end, and the camera_health reports per camera hour.

export const CAMERA_HEALTH_TABLES = ['analytics_camera_outages', 'analytics_camera_report_hours'] as const;

const OPEN = OPEN_STATES.map((s) => `'${s}'`).join(', ');
/** A report that says the camera is back, exactly as the outage closer judges it (hub/commands/outage-closer.ts). */
export const RECOVERY_SQL = (e: string) => `(${e}.payload->'attributes'->>'state') IS DISTINCT FROM 'offline'`;
const STATE = (e: string) => `coalesce(${e}.payload->'attributes'->>'state', 'unknown')`;

/**
 * The end of outage `i`: its first linked recovery report; for an incident closed without one (by a person), its
 * latest move to resolved or dismissed (its last event when it has none); null while it is open. Never before its start.
 */
export function outageEndSql(i: string): string {
  return `CASE
    WHEN recovery.at IS NOT NULL THEN greatest(recovery.at, ${i}.opened_at)
    WHEN ${i}.state IN (${OPEN}) THEN NULL
    ELSE greatest(coalesce(closing.at, ${i}.last_event_at), ${i}.opened_at) END`;
}

/** The lateral joins `outageEndSql` reads: the first recovery report of the incident, and its latest closing move. */
export function outageEndJoins(i: string): string {
  return `LEFT JOIN LATERAL (SELECT min(e.occurred_at) AS at FROM detection_events e
      WHERE e.tenant_id = ${i}.tenant_id AND e.incident_id = ${i}.id AND e.type = 'camera_health' AND ${RECOVERY_SQL('e')}) recovery ON true
    LEFT JOIN LATERAL (SELECT max(t.at) AS at FROM incident_transitions t
      WHERE t.tenant_id = ${i}.tenant_id AND t.incident_id = ${i}.id AND t.to_state IN ('resolved', 'dismissed')) closing ON true`;
}

const OUTAGE_COLUMNS = 'tenant_id, environment, incident_id, opened_hour, store_id, region_id, lane_id, camera_id, shadow, started_at, ended_at';

async function refreshOutages(trx: Knex.Transaction): Promise<void> {
  await trx.raw(`DELETE FROM analytics_camera_outages o USING analytics_touched h
    WHERE o.tenant_id = h.tenant_id AND o.environment = h.environment AND o.store_id = h.store_id AND o.opened_hour = h.hour`);
  // An incident whose opening moved to another hour may still have its row under the old hour (folded in a later batch): replaced here.
  await trx.raw(`INSERT INTO analytics_camera_outages (${OUTAGE_COLUMNS})
    SELECT i.tenant_id, i.environment, i.id, h.hour, i.store_id, i.region_id, i.lane_id, i.camera_id, i.shadow, i.opened_at, ${outageEndSql('i')}
    FROM analytics_touched h
    JOIN incidents i ON i.tenant_id = h.tenant_id AND i.environment = h.environment AND i.store_id = h.store_id
      AND i.opened_at >= h.hour AND i.opened_at < h.hour + interval '1 hour' AND i.type = 'camera_health'
    ${outageEndJoins('i')}
    ON CONFLICT (tenant_id, incident_id) DO UPDATE SET (${OUTAGE_COLUMNS}) = (${OUTAGE_COLUMNS.split(', ').map((c) => `excluded.${c}`).join(', ')})`);
}

async function refreshReports(trx: Knex.Transaction): Promise<void> {
  await trx.raw(`DELETE FROM analytics_camera_report_hours r USING analytics_touched h
    WHERE r.tenant_id = h.tenant_id AND r.environment = h.environment AND r.store_id = h.store_id AND r.hour = h.hour`);
  await trx.raw(`INSERT INTO analytics_camera_report_hours (tenant_id, environment, hour, store_id, region_id, lane_id, camera_id,
      offline_reports, degraded_reports, tamper_reports, last_state, last_report_at)
    SELECT h.tenant_id, h.environment, h.hour, h.store_id, s.region_id, e.lane_id, e.camera_id,
      count(*) FILTER (WHERE NOT ${RECOVERY_SQL('e')})::int, count(*) FILTER (WHERE ${STATE('e')} = 'degraded')::int,
      count(*) FILTER (WHERE e.payload->'attributes'->>'tamper' = 'true')::int,
      (array_agg(${STATE('e')} ORDER BY e.occurred_at DESC, e.id DESC))[1], max(e.occurred_at)
    FROM analytics_touched h
    JOIN detection_events e ON e.tenant_id = h.tenant_id AND e.environment = h.environment AND e.store_id = h.store_id AND e.type = 'camera_health'
      AND e.occurred_at >= h.hour AND e.occurred_at < h.hour + interval '1 hour'
    JOIN stores s ON s.tenant_id = h.tenant_id AND s.id = h.store_id
    GROUP BY h.tenant_id, h.environment, h.hour, h.store_id, s.region_id, e.lane_id, e.camera_id`);
}

/** Recomputes the outages opened in, and the reports of, the store hours in `analytics_touched` from the raw tables. */
export async function refreshCameraHealth(trx: Knex.Transaction): Promise<void> {
  await refreshOutages(trx);
  await refreshReports(trx);
}

/** Every outage and report of one tenant (or all) again, through the roll-up's own statements over every hour that has one. */
export async function rebuildCameraHealth(trx: Knex.Transaction, tenantId?: string): Promise<void> {
  const where = tenantId ? 'AND tenant_id = ?' : '';
  const bindings = tenantId ? [tenantId, tenantId] : [];
  for (const table of CAMERA_HEALTH_TABLES) await trx.raw(`DELETE FROM ${table} ${tenantId ? 'WHERE tenant_id = ?' : ''}`, tenantId ? [tenantId] : []);
  await trx.raw('CREATE TEMP TABLE IF NOT EXISTS analytics_touched (tenant_id text, environment text, hour timestamptz, store_id text) ON COMMIT DROP');
  await trx.raw('DELETE FROM analytics_touched');
  await trx.raw(`INSERT INTO analytics_touched
    SELECT tenant_id, environment, date_trunc('hour', occurred_at, 'UTC'), store_id FROM detection_events WHERE type = 'camera_health' ${where}
    UNION SELECT tenant_id, environment, date_trunc('hour', opened_at, 'UTC'), store_id FROM incidents WHERE type = 'camera_health' ${where}`, bindings);
  await analyzed(trx, 'analytics_touched');
  await refreshCameraHealth(trx);
}
