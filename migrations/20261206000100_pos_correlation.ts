import type { Knex } from 'knex';
import { disableTenantRls, enableTenantRls } from './support/rls.js';

// Issue "POS and video never meet".
//
// 1. pos_transactions.begin_inferred: an export with only an end time (NCR writes no BeginDateTime) gets
//    begin_at = end_at so it stays in the (tenant_id, lane_id, begin_at) index; the flag keeps visible that
//    the POS never said when the transaction began. Existing end-only rows are backfilled the same way.
// 2. pos_transactions.time_zone: the IANA zone local (offset-less) timestamps were read in (the store's;
//    UTC for an unknown store); null when the POS wrote offsets, and for rows stored before this migration.
// 3. pos_transactions.region_id: the store's region, copied like incidents.region_id, so region-scoped
//    read rules filter transactions in SQL as they filter incidents. Backfilled from stores.
// 4. Lookups by id (the read API, links) and the exception list get their own indexes. An index on a
//    partitioned table is created on every partition, present and future.
// 5. pos_incident_links: which POS transaction was seen with which incident, and why. Not partitioned;
//    row-level security like every tenant table.

const TS = 'timestamptz(3)';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE pos_transactions ADD COLUMN begin_inferred boolean NOT NULL DEFAULT false');
  await knex.raw('ALTER TABLE pos_transactions ADD COLUMN time_zone text');
  await knex.raw('ALTER TABLE pos_transactions ADD COLUMN region_id text');
  await knex.raw('UPDATE pos_transactions SET begin_at = end_at, begin_inferred = true WHERE begin_at IS NULL AND end_at IS NOT NULL');
  await knex.raw(`UPDATE pos_transactions p SET region_id = s.region_id FROM stores s WHERE s.tenant_id = p.tenant_id AND s.id = p.store_id`);
  await knex.raw('CREATE INDEX pos_transactions_id ON pos_transactions (tenant_id, id)');
  await knex.raw('CREATE INDEX pos_transactions_store_time ON pos_transactions (tenant_id, store_id, begin_at)');
  await knex.raw('CREATE INDEX pos_transactions_exceptional ON pos_transactions (tenant_id, begin_at) WHERE cardinality(exceptions) > 0');
  await knex.raw(`
    CREATE TABLE pos_incident_links (
      tenant_id text NOT NULL REFERENCES tenants (id),
      pos_transaction_id text NOT NULL,
      incident_id text NOT NULL,
      lane_id text NOT NULL,
      reason text NOT NULL,
      linked_at ${TS} NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, pos_transaction_id, incident_id),
      FOREIGN KEY (tenant_id, incident_id) REFERENCES incidents (tenant_id, id)
    )`);
  await knex.raw("COMMENT ON COLUMN pos_incident_links.reason IS 'same_lane_window (video incident within the window) | pos_only (incident opened for a POS exception without video)'");
  await knex.raw('CREATE INDEX pos_incident_links_incident ON pos_incident_links (tenant_id, incident_id)');
  // The POS side looks up a lane's incidents around a transaction.
  await knex.raw('CREATE INDEX incidents_lane_time ON incidents (tenant_id, lane_id, last_event_at) WHERE lane_id IS NOT NULL');
  await enableTenantRls(knex, 'pos_incident_links');
}

export async function down(knex: Knex): Promise<void> {
  await disableTenantRls(knex, 'pos_incident_links');
  await knex.schema.dropTableIfExists('pos_incident_links');
  await knex.raw('DROP INDEX IF EXISTS incidents_lane_time');
  await knex.raw('DROP INDEX IF EXISTS pos_transactions_exceptional');
  await knex.raw('DROP INDEX IF EXISTS pos_transactions_store_time');
  await knex.raw('DROP INDEX IF EXISTS pos_transactions_id');
  await knex.raw('UPDATE pos_transactions SET begin_at = NULL WHERE begin_inferred');
  await knex.raw('ALTER TABLE pos_transactions DROP COLUMN region_id');
  await knex.raw('ALTER TABLE pos_transactions DROP COLUMN time_zone');
  await knex.raw('ALTER TABLE pos_transactions DROP COLUMN begin_inferred');
}
