import type { Knex } from 'knex';
import { disableTenantRls, enableTenantRls } from './support/rls.js';

// Store rule documents (`PUT /v1/stores/{id}/rules`). Every save is a new row: the newest version of a store
// is what plugins pull, the older ones are its history. Versions are never updated; a store has none until
// its rules are first saved (then it runs version 0: no rules).

const TABLE = 'store_rule_versions';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable(TABLE, (t) => {
    t.text('tenant_id').notNullable().references('id').inTable('tenants');
    t.text('store_id').notNullable();
    t.integer('version').notNullable().comment('1 for the first save of a store, one more with every save');
    t.jsonb('rules').notNullable().comment('storeRulesBodySchema.rules as saved, defaults filled in');
    t.text('saved_by').notNullable().comment('Principal id of the saver');
    t.specificType('saved_at', 'timestamptz(3)').notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'store_id', 'version']);
    t.foreign(['tenant_id', 'store_id']).references(['tenant_id', 'id']).inTable('stores');
  });
  await knex.raw(`ALTER TABLE ${TABLE} ADD CONSTRAINT store_rule_versions_version_positive CHECK (version > 0)`);
  await enableTenantRls(knex, TABLE);
}

export async function down(knex: Knex): Promise<void> {
  await disableTenantRls(knex, TABLE);
  await knex.schema.dropTableIfExists(TABLE);
}
