import type { Knex } from 'knex';

import { RUNTIME_ROLE } from '../../models/runtime-role.js';

export { RUNTIME_ROLE };

export async function ensureRuntimeRole(knex: Knex): Promise<void> {
  // Roles are global to a PostgreSQL cluster: databases migrating at the same moment may race to create it.
  await knex.raw(`DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${RUNTIME_ROLE}') THEN
      CREATE ROLE ${RUNTIME_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
    END IF;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END $$`);
  await knex.raw(`GRANT USAGE ON SCHEMA public TO ${RUNTIME_ROLE}`);
  // The connecting (owner) role switches to the runtime role inside API transactions.
  await knex.raw(`DO $$ BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
      EXECUTE format('GRANT ${RUNTIME_ROLE} TO %I', current_user);
    END IF;
  END $$`);
}

/**
 * Tenant isolation in depth: row-level security keyed on the per-transaction setting `vigil.tenant_id`,
 * forced even for the owner, and DML granted to the runtime role. Every migration that creates a tenant
 * table calls this for it. Without the setting, a query as the runtime role sees no rows.
 */
export async function enableTenantRls(knex: Knex, table: string): Promise<void> {
  await ensureRuntimeRole(knex);
  await knex.raw(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
  await knex.raw(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
  await knex.raw(`DROP POLICY IF EXISTS tenant_isolation ON ${table}`);
  await knex.raw(
    `CREATE POLICY tenant_isolation ON ${table} USING (tenant_id = current_setting('vigil.tenant_id', true)) WITH CHECK (tenant_id = current_setting('vigil.tenant_id', true))`,
  );
  await knex.raw(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO ${RUNTIME_ROLE}`);
}

export async function disableTenantRls(knex: Knex, table: string): Promise<void> {
  await knex.raw(`DROP POLICY IF EXISTS tenant_isolation ON ${table}`);
  await knex.raw(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
  await knex.raw(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
}

/**
 * A partition gets its parent's row-level security (enabled, forced, same policy) and exactly the runtime
 * role's grants on the parent. Needs migration 20261125000500 (which defines the function); a migration
 * that creates a partitioned tenant table calls this for each partition it makes, as the partition job does.
 */
export async function securePartition(knex: Knex, partition: string): Promise<void> {
  await knex.raw('SELECT vigil_secure_partition(?::regclass)', [partition]);
}

/** Row-level security keyed on the tenant and the environment bound to the transaction (see bindTenant). */
export const ENVIRONMENT_SCOPE = `tenant_id = current_setting('vigil.tenant_id', true) AND environment = current_setting('vigil.environment', true)`;
/** The environment a new row takes: the bound one, production when none is bound (the owner's jobs). */
export const BOUND_ENVIRONMENT = `coalesce(nullif(current_setting('vigil.environment', true), ''), 'production')`;

/**
 * For a table created with an `environment` column: its default and check, and tenant isolation (enableTenantRls)
 * narrowed to the bound environment for reads and writes alike.
 */
export async function enableEnvironmentRls(knex: Knex, table: string): Promise<void> {
  await knex.raw(`ALTER TABLE ${table} ALTER COLUMN environment SET DEFAULT ${BOUND_ENVIRONMENT}`);
  await knex.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_environment_check CHECK (environment ~ '^[a-z][a-z0-9-]{1,30}$')`);
  await enableTenantRls(knex, table);
  await knex.raw(`DROP POLICY tenant_isolation ON ${table}`);
  await knex.raw(`CREATE POLICY tenant_isolation ON ${table} USING (${ENVIRONMENT_SCOPE}) WITH CHECK (${ENVIRONMENT_SCOPE})`);
}
