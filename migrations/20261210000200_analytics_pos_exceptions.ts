import type { Knex } from 'knex';
import { RUNTIME_ROLE, enableEnvironmentRls } from './support/rls.js';

// Issue 18, analytics: lanes and POS operators with repeated exceptions, from the POS transactions linked to
// incidents (pos_incident_links). analytics_pos_exception_hours holds, per tenant, environment, UTC hour of the
// transaction's beginning (its business day when the POS gave no time), store (and region), lane, operator and shadow flag, how many linked transactions had exceptions
// and how many exception codes they carried. A transaction counts once however many incidents it is linked
// to; it is a shadow transaction when every incident it is linked to is a shadow incident.
//
// Kept by the same roll-up from the same change log: a link inserted or deleted marks the transaction's store
// hour in analytics_dirty_hours, and the roll-up recomputes the touched store hours of this table too.

const MARK_LINK_FN = `
CREATE OR REPLACE FUNCTION vigil_analytics_mark_pos_link() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  link pos_incident_links%ROWTYPE;
BEGIN
  link := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  INSERT INTO analytics_dirty_hours (tenant_id, environment, hour, store_id)
    SELECT t.tenant_id, t.environment, date_trunc('hour', coalesce(t.begin_at, t.occurred_at), 'UTC'), t.store_id FROM pos_transactions t
     WHERE t.tenant_id = link.tenant_id AND t.id = link.pos_transaction_id AND t.store_id IS NOT NULL;
  RETURN NULL;
END
$fn$`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE analytics_pos_exception_hours (
      tenant_id text NOT NULL,
      environment text NOT NULL,
      hour timestamptz NOT NULL,
      store_id text NOT NULL,
      region_id text NOT NULL,
      lane_id text NOT NULL,
      operator_id text,
      shadow boolean NOT NULL,
      transactions integer NOT NULL,
      exceptions integer NOT NULL
    )`);
  await knex.raw(`CREATE UNIQUE INDEX analytics_pos_exception_hours_key ON analytics_pos_exception_hours
    (tenant_id, environment, hour, store_id, region_id, lane_id, operator_id, shadow) NULLS NOT DISTINCT`);
  // The roll-up replaces a store's hours.
  await knex.raw('CREATE INDEX analytics_pos_exception_hours_store ON analytics_pos_exception_hours (tenant_id, environment, store_id, hour)');
  await enableEnvironmentRls(knex, 'analytics_pos_exception_hours');
  await knex.raw(`REVOKE INSERT, UPDATE, DELETE ON analytics_pos_exception_hours FROM ${RUNTIME_ROLE}`);
  // The roll-up reads a store hour's exceptional transactions (occurred_at is the business day; begin_at the time).
  await knex.raw('CREATE INDEX pos_transactions_store_exceptional ON pos_transactions (tenant_id, store_id, (coalesce(begin_at, occurred_at))) WHERE cardinality(exceptions) > 0');
  await knex.raw(MARK_LINK_FN);
  await knex.raw('CREATE TRIGGER pos_incident_links_analytics AFTER INSERT OR DELETE ON pos_incident_links FOR EACH ROW EXECUTE FUNCTION vigil_analytics_mark_pos_link()');
  // Links that exist already are counted on the worker's first run.
  await knex.raw(`INSERT INTO analytics_dirty_hours (tenant_id, environment, hour, store_id)
    SELECT DISTINCT t.tenant_id, t.environment, date_trunc('hour', coalesce(t.begin_at, t.occurred_at), 'UTC'), t.store_id
      FROM pos_incident_links l JOIN pos_transactions t ON t.tenant_id = l.tenant_id AND t.id = l.pos_transaction_id WHERE t.store_id IS NOT NULL`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER pos_incident_links_analytics ON pos_incident_links');
  await knex.raw('DROP FUNCTION vigil_analytics_mark_pos_link()');
  await knex.raw('DROP INDEX pos_transactions_store_exceptional');
  await knex.raw('DROP TABLE analytics_pos_exception_hours');
}
