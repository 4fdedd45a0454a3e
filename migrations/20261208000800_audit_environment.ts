import type { Knex } from 'knex';

// Audit records name the environment they were written in. The trail stays the tenant's (one chain per tenant
// and shard, verified and checkpointed as before; the column is not part of a record's hash), but a principal
// acting outside production reads its own environment's records only: a staging token learns nothing of
// production from the trail. Production, the tenant's home, reads the whole trail.

const BOUND_ENVIRONMENT = `coalesce(nullif(current_setting('vigil.environment', true), ''), 'production')`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE audit_records ADD COLUMN environment text NOT NULL DEFAULT 'production'`);
  await knex.raw(`ALTER TABLE audit_records ALTER COLUMN environment SET DEFAULT ${BOUND_ENVIRONMENT}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE audit_records DROP COLUMN environment');
}
