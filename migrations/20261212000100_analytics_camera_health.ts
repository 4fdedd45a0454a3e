import type { Knex } from 'knex';
import { RUNTIME_ROLE, enableEnvironmentRls } from './support/rls.js';

// Issue 18, analytics: camera health and uptime (docs/analytics.md, "Camera health and uptime").
//
// analytics_camera_outages: one row per camera_health incident (an outage, opened by the camera's offline
// report), with when it started (the incident's opening) and ended (the first recovery report linked to it;
// for an incident closed by a person, its latest closing transition; null while it is open), keyed for the
// roll-up by the store hour it opened in.
//
// analytics_camera_report_hours: per tenant, environment, UTC hour, store (and region), camera and lane, how
// many camera_health reports said offline, degraded, tampered, and the state of the hour's latest report.
//
// Both are kept by the same roll-up from the same change log: incidents and transitions mark their store hour
// already; a camera_health detection event inserted or deleted marks the store hour it occurred in.

const MARK_HEALTH_FN = `
CREATE OR REPLACE FUNCTION vigil_analytics_mark_camera_health() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  event detection_events%ROWTYPE;
BEGIN
  event := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  INSERT INTO analytics_dirty_hours (tenant_id, environment, hour, store_id)
    VALUES (event.tenant_id, event.environment, date_trunc('hour', event.occurred_at, 'UTC'), event.store_id);
  RETURN NULL;
END
$fn$`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE analytics_camera_outages (
      tenant_id text NOT NULL,
      environment text NOT NULL,
      incident_id text NOT NULL,
      opened_hour timestamptz NOT NULL,
      store_id text NOT NULL,
      region_id text NOT NULL,
      lane_id text,
      camera_id text NOT NULL,
      shadow boolean NOT NULL,
      started_at timestamptz NOT NULL,
      ended_at timestamptz,
      PRIMARY KEY (tenant_id, incident_id),
      CHECK (ended_at IS NULL OR ended_at >= started_at)
    )`);
  // The roll-up replaces a store's hours; the figure reads the outages that overlap a range.
  await knex.raw('CREATE INDEX analytics_camera_outages_store ON analytics_camera_outages (tenant_id, environment, store_id, opened_hour)');
  // An outage overlaps a range when it started before its end and ends (or is open) after its start; ranges are mostly recent, so the end leads.
  await knex.raw(`CREATE INDEX analytics_camera_outages_time ON analytics_camera_outages (tenant_id, environment, (coalesce(ended_at, 'infinity'::timestamptz)), started_at)`);
  await knex.raw('CREATE INDEX analytics_camera_outages_open ON analytics_camera_outages (tenant_id, environment) WHERE ended_at IS NULL');
  await enableEnvironmentRls(knex, 'analytics_camera_outages');
  await knex.raw(`REVOKE INSERT, UPDATE, DELETE ON analytics_camera_outages FROM ${RUNTIME_ROLE}`);

  await knex.raw(`
    CREATE TABLE analytics_camera_report_hours (
      tenant_id text NOT NULL,
      environment text NOT NULL,
      hour timestamptz NOT NULL,
      store_id text NOT NULL,
      region_id text NOT NULL,
      lane_id text,
      camera_id text NOT NULL,
      shadow boolean NOT NULL DEFAULT false,
      offline_reports integer NOT NULL,
      degraded_reports integer NOT NULL,
      tamper_reports integer NOT NULL,
      last_state text NOT NULL,
      last_report_at timestamptz NOT NULL
    )`);
  await knex.raw(`CREATE UNIQUE INDEX analytics_camera_report_hours_key ON analytics_camera_report_hours
    (tenant_id, environment, hour, store_id, camera_id, lane_id) NULLS NOT DISTINCT`);
  // A camera's latest report (a camera id is the tenant's, whatever the environment).
  await knex.raw('CREATE INDEX analytics_camera_report_hours_camera ON analytics_camera_report_hours (tenant_id, camera_id, hour, last_report_at)');
  await enableEnvironmentRls(knex, 'analytics_camera_report_hours');
  await knex.raw(`REVOKE INSERT, UPDATE, DELETE ON analytics_camera_report_hours FROM ${RUNTIME_ROLE}`);

  // The roll-up reads a store hour's camera_health reports.
  await knex.raw(`CREATE INDEX detection_events_camera_health ON detection_events (tenant_id, environment, store_id, occurred_at) WHERE type = 'camera_health'`);
  await knex.raw(MARK_HEALTH_FN);
  await knex.raw(`CREATE TRIGGER detection_events_analytics_health_insert AFTER INSERT ON detection_events
    FOR EACH ROW WHEN (NEW.type = 'camera_health') EXECUTE FUNCTION vigil_analytics_mark_camera_health()`);
  await knex.raw(`CREATE TRIGGER detection_events_analytics_health_delete AFTER DELETE ON detection_events
    FOR EACH ROW WHEN (OLD.type = 'camera_health') EXECUTE FUNCTION vigil_analytics_mark_camera_health()`);
  // Reports and outages that exist already are counted on the worker's first run.
  await knex.raw(`INSERT INTO analytics_dirty_hours (tenant_id, environment, hour, store_id)
    SELECT DISTINCT tenant_id, environment, date_trunc('hour', occurred_at, 'UTC'), store_id FROM detection_events WHERE type = 'camera_health'
    UNION SELECT DISTINCT tenant_id, environment, date_trunc('hour', opened_at, 'UTC'), store_id FROM incidents WHERE type = 'camera_health'`);
}

export async function down(knex: Knex): Promise<void> {
  for (const event of ['insert', 'delete']) await knex.raw(`DROP TRIGGER detection_events_analytics_health_${event} ON detection_events`);
  await knex.raw('DROP FUNCTION vigil_analytics_mark_camera_health()');
  await knex.raw('DROP INDEX detection_events_camera_health');
  await knex.raw('DROP TABLE analytics_camera_report_hours');
  await knex.raw('DROP TABLE analytics_camera_outages');
}
