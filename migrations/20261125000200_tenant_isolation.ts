import type { Knex } from 'knex';
import { RUNTIME_ROLE, disableTenantRls, enableTenantRls, ensureRuntimeRole } from './support/rls.js';

// Row-level security on every tenant table of the core schema, keyed on `vigil.tenant_id`, forced for the
// owner too. API requests run as the runtime role (no ownership, no BYPASSRLS), so a query that forgot its
// tenant filter still cannot read another tenant's rows, and one without the setting reads nothing.
export const CORE_TENANT_TABLES = [
  'regions', 'stores', 'lanes', 'cameras', 'devices', 'api_tokens', 'incidents', 'incident_transitions',
  'incident_comments', 'detection_events', 'audit_records', 'audit_heads',
];

export async function up(knex: Knex): Promise<void> {
  await ensureRuntimeRole(knex);
  for (const table of CORE_TENANT_TABLES) await enableTenantRls(knex, table);
  await knex.raw('ALTER TABLE tenants ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE tenants FORCE ROW LEVEL SECURITY');
  await knex.raw(`CREATE POLICY tenant_isolation ON tenants USING (id = current_setting('vigil.tenant_id', true))`);
  await knex.raw(`GRANT SELECT ON tenants TO ${RUNTIME_ROLE}`);
  // Tables made by later migrations are reachable by the runtime role; their own migrations add RLS.
  await knex.raw(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${RUNTIME_ROLE}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM ${RUNTIME_ROLE}`);
  await knex.raw('DROP POLICY IF EXISTS tenant_isolation ON tenants');
  await knex.raw('ALTER TABLE tenants NO FORCE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE tenants DISABLE ROW LEVEL SECURITY');
  await knex.raw(`REVOKE ALL ON tenants FROM ${RUNTIME_ROLE}`);
  for (const table of CORE_TENANT_TABLES) {
    await disableTenantRls(knex, table);
    await knex.raw(`REVOKE ALL ON ${table} FROM ${RUNTIME_ROLE}`);
  }
}
