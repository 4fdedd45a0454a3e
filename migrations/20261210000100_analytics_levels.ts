import type { Knex } from 'knex';
import { RUNTIME_ROLE, enableEnvironmentRls } from './support/rls.js';

// Issue 18, analytics: coarser rollup levels beside the hourly one (analytics_incident_hours), so that a
// tenant-wide figure over a month reads thousands of rows instead of one per incident.
//
// - analytics_store_days: per UTC day, store (and its region) and shadow flag. Serves figures split or filtered
//   by store or region (no outcome breakdown: resolved counts, histograms and recovered value only).
// - analytics_region_days: per UTC day, region, type, severity, shadow flag and outcome. Serves figures split or
//   filtered by region, type, severity and outcomes.
// - analytics_zone_hours: per UTC hour, the store's time zone, type and shadow flag, incidents only: the heatmap
//   (weekday and hour in the store's time zone) without a row per store.
//
// The worker computes each from analytics_incident_hours (which equals the raw tables) for the days and hours
// the change log touched, in the same transaction as the hourly rows. A store's new time zone changes the
// zone hours of all its incidents, so a trigger on stores marks them in the change log.

const METRICS = `
  incidents integer NOT NULL,
  events bigint NOT NULL,
  acknowledged integer NOT NULL,
  ack_histogram integer[] NOT NULL,
  resolved integer NOT NULL,
  resolve_histogram integer[] NOT NULL,
  recovered_value numeric NOT NULL`;

const TABLES: Array<{ name: string; columns: string; key: string }> = [
  {
    name: 'analytics_store_days',
    columns: `day timestamptz NOT NULL, store_id text NOT NULL, region_id text NOT NULL, shadow boolean NOT NULL, ${METRICS}`,
    key: 'tenant_id, environment, day, store_id, region_id, shadow',
  },
  {
    name: 'analytics_region_days',
    columns: `day timestamptz NOT NULL, region_id text NOT NULL, type text NOT NULL, severity text NOT NULL, shadow boolean NOT NULL, outcome text, ${METRICS}`,
    key: 'tenant_id, environment, day, region_id, type, severity, shadow, outcome',
  },
  {
    name: 'analytics_zone_hours',
    columns: 'hour timestamptz NOT NULL, timezone text NOT NULL, type text NOT NULL, shadow boolean NOT NULL, incidents integer NOT NULL',
    key: 'tenant_id, environment, hour, timezone, type, shadow',
  },
];

// Security definer: a store's time zone is the same in every environment, so its incidents' hours are marked
// in all of them, not only in the environment the caller's transaction is bound to.
const MARK_STORE_FN = `
CREATE OR REPLACE FUNCTION vigil_analytics_mark_store_zone() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $fn$
BEGIN
  INSERT INTO analytics_dirty_hours (tenant_id, environment, hour, store_id)
    SELECT DISTINCT tenant_id, environment, date_trunc('hour', opened_at, 'UTC'), store_id FROM incidents
     WHERE tenant_id = NEW.tenant_id AND store_id = NEW.id;
  RETURN NULL;
END
$fn$`;

export async function up(knex: Knex): Promise<void> {
  for (const table of TABLES) {
    await knex.raw(`CREATE TABLE ${table.name} (tenant_id text NOT NULL, environment text NOT NULL, ${table.columns})`);
    // The key leads with the time column: every query reads a tenant's range of days or hours.
    await knex.raw(`CREATE UNIQUE INDEX ${table.name}_key ON ${table.name} (${table.key}) NULLS NOT DISTINCT`);
    await enableEnvironmentRls(knex, table.name);
    await knex.raw(`REVOKE INSERT, UPDATE, DELETE ON ${table.name} FROM ${RUNTIME_ROLE}`);
  }
  await knex.raw(MARK_STORE_FN);
  await knex.raw(`CREATE TRIGGER stores_analytics_zone AFTER UPDATE OF timezone ON stores FOR EACH ROW
    WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone) EXECUTE FUNCTION vigil_analytics_mark_store_zone()`);
  // The new levels of incidents that exist already are computed on the worker's first run.
  await knex.raw(`INSERT INTO analytics_dirty_hours (tenant_id, environment, hour, store_id)
    SELECT DISTINCT tenant_id, environment, hour, store_id FROM analytics_incident_hours`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER stores_analytics_zone ON stores');
  await knex.raw('DROP FUNCTION vigil_analytics_mark_store_zone()');
  for (const table of [...TABLES].reverse()) await knex.raw(`DROP TABLE ${table.name}`);
}
