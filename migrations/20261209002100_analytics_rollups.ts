import type { Knex } from 'knex';
import { RUNTIME_ROLE, enableEnvironmentRls } from './support/rls.js';

// Issue 18, analytics: the read side of incidents. Analytics queries read hourly rollups, never the raw
// incident tables at request time.
//
// analytics_incident_hours: per tenant, environment, UTC hour of the incident's opening, store, lane, type,
// severity, shadow flag and outcome result, the number of incidents, their events, how many were
// acknowledged and resolved with a histogram of fixed buckets of the seconds it took (so p50/p90 come from
// the rollup), and the value recovered. The store's time zone is applied when read (the heatmap).
//
// analytics_dirty_hours: an append-only change log. Triggers on incidents and incident_transitions append the
// store hour(s) a change touches (the old and the new opening hour of its store), so late events, reopened incidents and
// deletions all mark their hour. The worker recomputes each touched store hour from the raw tables, which makes the
// roll-up idempotent: recomputing an hour twice gives the same rows. Rows carry their own id rather than a
// (tenant, hour) key: a deduplicating key would let a change still uncommitted be swallowed by a row the
// worker is about to fold.


// Statement-level, over the transition tables: a batch that merges forty incidents appends each store hour
// it touched once, in one INSERT, instead of a row per incident (the ingest path is hot).
const MARK_FN = `
CREATE OR REPLACE FUNCTION vigil_analytics_mark_incidents() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO analytics_dirty_hours (tenant_id, environment, hour, store_id)
      SELECT DISTINCT tenant_id, environment, date_trunc('hour', opened_at, 'UTC'), store_id FROM old_rows;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO analytics_dirty_hours (tenant_id, environment, hour, store_id)
      SELECT DISTINCT tenant_id, environment, date_trunc('hour', opened_at, 'UTC'), store_id FROM new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO analytics_dirty_hours (tenant_id, environment, hour, store_id)
      SELECT DISTINCT n.tenant_id, n.environment, date_trunc('hour', n.opened_at, 'UTC'), n.store_id
        FROM new_rows n JOIN old_rows o ON o.tenant_id = n.tenant_id AND o.id = n.id
       WHERE date_trunc('hour', n.opened_at, 'UTC') <> date_trunc('hour', o.opened_at, 'UTC') OR n.environment <> o.environment OR n.store_id <> o.store_id;
  END IF;
  RETURN NULL;
END
$fn$`;

const MARK_TRANSITION_FN = `
CREATE OR REPLACE FUNCTION vigil_analytics_mark_transition() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO analytics_dirty_hours (tenant_id, environment, hour, store_id)
    SELECT i.tenant_id, i.environment, date_trunc('hour', i.opened_at, 'UTC'), i.store_id FROM incidents i WHERE i.tenant_id = NEW.tenant_id AND i.id = NEW.incident_id;
  RETURN NULL;
END
$fn$`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE analytics_incident_hours (
      tenant_id text NOT NULL,
      environment text NOT NULL,
      hour timestamptz NOT NULL,
      store_id text NOT NULL,
      region_id text NOT NULL,
      lane_id text,
      type text NOT NULL,
      severity text NOT NULL,
      shadow boolean NOT NULL,
      outcome text,
      incidents integer NOT NULL,
      events bigint NOT NULL,
      acknowledged integer NOT NULL,
      ack_histogram integer[] NOT NULL,
      resolved integer NOT NULL,
      resolve_histogram integer[] NOT NULL,
      recovered_value numeric NOT NULL
    )`);
  await knex.raw(`CREATE UNIQUE INDEX analytics_incident_hours_key ON analytics_incident_hours
    (tenant_id, environment, hour, store_id, lane_id, type, severity, shadow, outcome) NULLS NOT DISTINCT`);
  await knex.raw('CREATE INDEX analytics_incident_hours_store ON analytics_incident_hours (tenant_id, environment, store_id, hour)');
  await knex.raw('CREATE INDEX analytics_incident_hours_region ON analytics_incident_hours (tenant_id, environment, region_id, hour)');
  await enableEnvironmentRls(knex, 'analytics_incident_hours');
  // Written by the worker only (the owner role); the runtime role reads.
  await knex.raw(`REVOKE INSERT, UPDATE, DELETE ON analytics_incident_hours FROM ${RUNTIME_ROLE}`);

  await knex.raw(`
    CREATE TABLE analytics_dirty_hours (
      tenant_id text NOT NULL,
      environment text NOT NULL,
      id bigint GENERATED ALWAYS AS IDENTITY,
      hour timestamptz NOT NULL,
      store_id text NOT NULL,
      PRIMARY KEY (tenant_id, id)
    )`);
  await enableEnvironmentRls(knex, 'analytics_dirty_hours');
  // The runtime role's transactions append through the triggers; only the worker folds (deletes).
  await knex.raw(`REVOKE UPDATE, DELETE ON analytics_dirty_hours FROM ${RUNTIME_ROLE}`);
  // The roll-up recomputes a store's hour from the incidents opened in it.
  await knex.raw('CREATE INDEX incidents_opened_hour ON incidents (tenant_id, environment, store_id, opened_at)');
  await knex.raw(MARK_FN);
  await knex.raw(MARK_TRANSITION_FN);
  // A trigger with transition tables serves one event, so there are three, sharing the function.
  await knex.raw('CREATE TRIGGER incidents_analytics_insert AFTER INSERT ON incidents REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vigil_analytics_mark_incidents()');
  await knex.raw('CREATE TRIGGER incidents_analytics_update AFTER UPDATE ON incidents REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vigil_analytics_mark_incidents()');
  await knex.raw('CREATE TRIGGER incidents_analytics_delete AFTER DELETE ON incidents REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION vigil_analytics_mark_incidents()');
  await knex.raw('CREATE TRIGGER incident_transitions_analytics AFTER INSERT ON incident_transitions FOR EACH ROW EXECUTE FUNCTION vigil_analytics_mark_transition()');
  // Incidents that exist already are counted on the first run.
  await knex.raw(`INSERT INTO analytics_dirty_hours (tenant_id, environment, hour, store_id)
    SELECT DISTINCT tenant_id, environment, date_trunc('hour', opened_at, 'UTC'), store_id FROM incidents`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER incident_transitions_analytics ON incident_transitions');
  for (const event of ['insert', 'update', 'delete']) await knex.raw(`DROP TRIGGER incidents_analytics_${event} ON incidents`);
  await knex.raw('DROP FUNCTION vigil_analytics_mark_transition()');
  await knex.raw('DROP FUNCTION vigil_analytics_mark_incidents()');
  await knex.raw('DROP INDEX incidents_opened_hour');
  await knex.raw('DROP TABLE analytics_dirty_hours');
  await knex.raw('DROP TABLE analytics_incident_hours');
}
