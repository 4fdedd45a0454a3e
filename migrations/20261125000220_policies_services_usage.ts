import type { Knex } from 'knex';
import { disableTenantRls, enableTenantRls } from './support/rls.js';

const TS = 'timestamptz(3)';
const TABLES = ['tenant_policies', 'service_identities', 'usage_counters'];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tenant_policies', (t) => {
    t.text('tenant_id').notNullable().references('id').inTable('tenants');
    t.text('id').notNullable();
    t.text('role').notNullable();
    t.integer('version').notNullable();
    t.text('mode').notNullable().comment('extend: built-in rules plus these; replace: these alone');
    t.jsonb('rules').notNullable();
    t.text('reason').notNullable();
    t.integer('reverts_version').nullable();
    t.text('created_by').notNullable();
    t.specificType('created_at', TS).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'id']);
    t.unique(['tenant_id', 'role', 'version']);
  });
  await knex.schema.createTable('service_identities', (t) => {
    t.text('tenant_id').notNullable().references('id').inTable('tenants');
    t.text('id').notNullable();
    t.text('name').notNullable();
    t.specificType('store_ids', 'text[]').notNullable().defaultTo('{}');
    t.text('created_by').notNullable();
    t.specificType('created_at', TS).notNullable().defaultTo(knex.fn.now());
    t.specificType('updated_at', TS).notNullable().defaultTo(knex.fn.now());
    t.specificType('disabled_at', TS).nullable();
    t.primary(['tenant_id', 'id']);
  });
  await knex.schema.createTable('usage_counters', (t) => {
    t.text('tenant_id').notNullable().references('id').inTable('tenants');
    t.date('day').notNullable();
    t.text('metric').notNullable();
    t.bigInteger('value').notNullable().defaultTo(0);
    t.primary(['tenant_id', 'day', 'metric']);
  });
  for (const table of TABLES) await enableTenantRls(knex, table);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [...TABLES].reverse()) {
    await disableTenantRls(knex, table);
    await knex.schema.dropTableIfExists(table);
  }
}
