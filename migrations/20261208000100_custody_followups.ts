import type { Knex } from 'knex';
import { disableTenantRls, enableTenantRls } from './support/rls.js';

// Redacted renditions as records: the object key of every redacted copy made of an item (one per redaction
// plan), so a retention purge of the item deletes them all, and expired links can be swept without losing
// the only record of where a rendition is. Existing renditions are found in the links that served them.

const TABLE = 'evidence_renditions';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable(TABLE, (t) => {
    t.text('tenant_id').notNullable().references('id').inTable('tenants');
    t.text('storage_key').notNullable().comment('renditions/<tenant>/<item>-<plan hash>.redacted.<ext>, minted by the hub');
    t.text('item_id').notNullable().comment('The evd_ item it is a redacted copy of');
    t.bigInteger('bytes').notNullable();
    t.specificType('created_at', 'timestamptz(3)').notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'storage_key']);
    t.index(['tenant_id', 'item_id']);
  });
  await enableTenantRls(knex, TABLE);
  await knex.raw(`
    INSERT INTO ${TABLE} (tenant_id, storage_key, item_id, bytes, created_at)
    SELECT DISTINCT ON (tenant_id, storage_key) tenant_id, storage_key, target_id, bytes, issued_at
      FROM evidence_links
     WHERE variant = 'redacted' AND target_id LIKE 'evd\\_%' AND storage_key LIKE 'renditions/%'
     ORDER BY tenant_id, storage_key, issued_at`);
}

export async function down(knex: Knex): Promise<void> {
  await disableTenantRls(knex, TABLE);
  await knex.schema.dropTableIfExists(TABLE);
}
