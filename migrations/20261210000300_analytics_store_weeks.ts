import type { Knex } from 'knex';
import { RUNTIME_ROLE, enableEnvironmentRls } from './support/rls.js';

// Issue 18, analytics: analytics_store_weeks, per ISO week (from Monday 00:00 UTC), store (and its region) and
// shadow flag, the sums of analytics_store_days. A figure split by store over a month reads four rows per store
// instead of thirty; the ragged days and hours at its ends come from the finer levels.

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE analytics_store_weeks (
      tenant_id text NOT NULL,
      environment text NOT NULL,
      week timestamptz NOT NULL,
      store_id text NOT NULL,
      region_id text NOT NULL,
      shadow boolean NOT NULL,
      incidents integer NOT NULL,
      events bigint NOT NULL,
      acknowledged integer NOT NULL,
      ack_histogram integer[] NOT NULL,
      resolved integer NOT NULL,
      resolve_histogram integer[] NOT NULL,
      recovered_value numeric NOT NULL
    )`);
  await knex.raw('CREATE UNIQUE INDEX analytics_store_weeks_key ON analytics_store_weeks (tenant_id, environment, week, store_id, region_id, shadow)');
  // A week is recomputed from its store's days.
  await knex.raw('CREATE INDEX analytics_store_days_store ON analytics_store_days (tenant_id, environment, store_id, day)');
  await enableEnvironmentRls(knex, 'analytics_store_weeks');
  await knex.raw(`REVOKE INSERT, UPDATE, DELETE ON analytics_store_weeks FROM ${RUNTIME_ROLE}`);
  // Computed on the worker's first run.
  await knex.raw(`INSERT INTO analytics_dirty_hours (tenant_id, environment, hour, store_id)
    SELECT DISTINCT tenant_id, environment, day, store_id FROM analytics_store_days`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX analytics_store_days_store');
  await knex.raw('DROP TABLE analytics_store_weeks');
}
