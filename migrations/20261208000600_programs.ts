import type { Knex } from 'knex';
import { enableEnvironmentRls } from './support/rls.js';

// Issue "Environments and pilot programs", part two: programs. A program runs a rule configuration on a
// named set of stores (or lanes) in shadow or live mode. Each change (created, rules changed, promoted,
// rolled back) is a version; the current one is what plugins pull with their store's rules. Shadow
// incidents stay in the central review queue: no VMS alarm, no store notification, no webhook except to
// endpoints that subscribe to shadow traffic.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('programs', (t) => {
    t.text('tenant_id').notNullable().references('id').inTable('tenants');
    t.text('environment').notNullable();
    t.text('id').notNullable();
    t.text('name').notNullable();
    t.text('mode').notNullable();
    t.specificType('store_ids', 'text[]').notNullable();
    t.specificType('lane_ids', 'text[]').notNullable().defaultTo('{}');
    t.jsonb('rules').notNullable();
    t.integer('version').notNullable();
    t.text('state').notNullable().defaultTo('active');
    t.text('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.primary(['tenant_id', 'id']);
  });
  await knex.raw(`ALTER TABLE programs ADD CONSTRAINT programs_mode_check CHECK (mode IN ('shadow', 'live'))`);
  await knex.raw(`ALTER TABLE programs ADD CONSTRAINT programs_state_check CHECK (state IN ('active', 'ended'))`);
  await knex.raw('CREATE UNIQUE INDEX programs_name ON programs (tenant_id, environment, name)');
  await knex.raw('CREATE INDEX programs_stores ON programs USING gin (store_ids)');
  await enableEnvironmentRls(knex, 'programs');
  await knex.schema.createTable('program_versions', (t) => {
    t.text('tenant_id').notNullable();
    t.text('environment').notNullable();
    t.text('program_id').notNullable();
    t.integer('version').notNullable();
    t.text('change').notNullable();
    t.text('mode').notNullable();
    t.specificType('store_ids', 'text[]').notNullable();
    t.specificType('lane_ids', 'text[]').notNullable();
    t.jsonb('rules').notNullable();
    t.jsonb('figures');
    t.text('reason');
    t.text('changed_by').notNullable();
    t.timestamp('changed_at', { useTz: true }).notNullable();
    t.primary(['tenant_id', 'program_id', 'version']);
    t.foreign(['tenant_id', 'program_id']).references(['tenant_id', 'id']).inTable('programs');
  });
  await enableEnvironmentRls(knex, 'program_versions');
  await knex.raw('ALTER TABLE incidents ADD COLUMN program_id text');
  await knex.raw('ALTER TABLE incidents ADD COLUMN shadow boolean NOT NULL DEFAULT false');
  await knex.raw('CREATE INDEX incidents_program ON incidents (tenant_id, program_id) WHERE program_id IS NOT NULL');
  await knex.raw('ALTER TABLE webhook_endpoints ADD COLUMN shadow_traffic boolean NOT NULL DEFAULT false');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE webhook_endpoints DROP COLUMN shadow_traffic');
  await knex.raw('DROP INDEX incidents_program');
  await knex.raw('ALTER TABLE incidents DROP COLUMN shadow');
  await knex.raw('ALTER TABLE incidents DROP COLUMN program_id');
  await knex.schema.dropTable('program_versions');
  await knex.schema.dropTable('programs');
}
