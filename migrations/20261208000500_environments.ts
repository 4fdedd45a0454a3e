import type { Knex } from 'knex';
import { RUNTIME_ROLE, enableTenantRls } from './support/rls.js';

// Issue "Environments and pilot programs": production and staging (or sandbox…) inside one tenant.
//
// Data-plane tables carry `environment`, and their row-level security keys on tenant and environment
// together: a transaction bound to staging reads and writes staging rows only, whatever its SQL says. A
// new row takes the transaction's environment (`vigil.environment`, production where none is bound, as in
// operator tools) unless it names one, and the policy's WITH CHECK refuses any other for the runtime role.
//
// Control-plane tables stay tenant-wide: tokens, service identities and sessions carry the environment
// they act in as an attribute (an lp_admin in production mints a staging token); users carry the
// environments they may switch to; policies, regions, the audit trail and metering are the tenant's.

export const ENVIRONMENT_TABLES = [
  'stores', 'lanes', 'cameras', 'devices', 'incidents', 'incident_transitions', 'incident_comments', 'detection_events',
  'pos_transactions', 'pos_incident_links', 'store_rule_versions',
  'webhook_endpoints', 'webhook_messages', 'webhook_deliveries', 'webhook_attempts', 'ticket_links',
  'routing_policies', 'routing_cooldowns', 'routing_escalations', 'retention_policies',
  'evidence_keys', 'evidence_items', 'evidence_uploads', 'evidence_exports', 'evidence_export_items', 'evidence_holds',
  'evidence_fixity', 'evidence_signing_keys', 'evidence_links', 'evidence_renditions',
] as const;

/** Tenant-wide tables that name the environment a credential or session acts in. */
export const ENVIRONMENT_ATTRIBUTE_TABLES = ['api_tokens', 'service_identities', 'sessions'] as const;

const BOUND_ENVIRONMENT = `coalesce(nullif(current_setting('vigil.environment', true), ''), 'production')`;
const NAME_CHECK = `environment ~ '^[a-z][a-z0-9-]{1,30}$'`;
const SCOPE = `tenant_id = current_setting('vigil.tenant_id', true) AND environment = current_setting('vigil.environment', true)`;

// A partition copies its parent's policy expressions, whatever they are (tenant, or tenant and environment).
const PARTITION_FN = `
CREATE OR REPLACE FUNCTION vigil_secure_partition(part regclass) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
  parent regclass;
  privilege text;
  using_expr text;
  check_expr text;
BEGIN
  SELECT i.inhparent::regclass INTO parent FROM pg_inherits i WHERE i.inhrelid = part;
  IF parent IS NULL THEN
    RAISE EXCEPTION 'vigil_secure_partition: % is not a partition', part;
  END IF;
  SELECT pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid) INTO using_expr, check_expr
    FROM pg_policy p WHERE p.polrelid = parent AND p.polname = 'tenant_isolation';
  IF using_expr IS NULL THEN
    RAISE EXCEPTION 'vigil_secure_partition: % has no tenant_isolation policy', parent;
  END IF;
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', part);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', part);
  EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', part);
  EXECUTE format('CREATE POLICY tenant_isolation ON %s USING (%s) WITH CHECK (%s)', part, using_expr, coalesce(check_expr, using_expr));
  EXECUTE format('REVOKE ALL ON %s FROM ${RUNTIME_ROLE}', part);
  FOREACH privilege IN ARRAY ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE'] LOOP
    IF has_table_privilege('${RUNTIME_ROLE}', parent, privilege) THEN
      EXECUTE format('GRANT %s ON %s TO ${RUNTIME_ROLE}', privilege, part);
    END IF;
  END LOOP;
END
$fn$`;

// Every tenant has production, from the moment it exists.
const PRODUCTION_FN = `
CREATE OR REPLACE FUNCTION vigil_tenant_production() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO environments (tenant_id, name, label, kind, created_by) VALUES (NEW.id, 'production', 'Production', 'production', 'system')
    ON CONFLICT DO NOTHING;
  RETURN NEW;
END
$fn$`;

async function partitionsOf(knex: Knex, table: string): Promise<string[]> {
  const { rows } = await knex.raw<{ rows: Array<{ name: string }> }>(
    'SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = ?::regclass ORDER BY 1', [table],
  );
  return rows.map((r) => r.name);
}

async function createEnvironments(knex: Knex): Promise<void> {
  await knex.schema.createTable('environments', (t) => {
    t.text('tenant_id').notNullable().references('id').inTable('tenants');
    t.text('name').notNullable();
    t.text('label').notNullable();
    t.text('kind').notNullable();
    t.text('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'name']);
  });
  await knex.raw(`ALTER TABLE environments ADD CONSTRAINT environments_name_check CHECK (name ~ '^[a-z][a-z0-9-]{1,30}$')`);
  await knex.raw(`ALTER TABLE environments ADD CONSTRAINT environments_kind_check CHECK (kind IN ('production', 'staging', 'sandbox'))`);
  await enableTenantRls(knex, 'environments');
  await knex.raw(`INSERT INTO environments (tenant_id, name, label, kind, created_by) SELECT id, 'production', 'Production', 'production', 'system' FROM tenants`);
  await knex.raw(PRODUCTION_FN);
  await knex.raw('CREATE TRIGGER tenants_production AFTER INSERT ON tenants FOR EACH ROW EXECUTE FUNCTION vigil_tenant_production()');
}

async function scopeTable(knex: Knex, table: string): Promise<void> {
  await knex.raw(`ALTER TABLE ${table} ADD COLUMN environment text NOT NULL DEFAULT 'production'`);
  await knex.raw(`ALTER TABLE ${table} ALTER COLUMN environment SET DEFAULT ${BOUND_ENVIRONMENT}`);
  await knex.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_environment_check CHECK (${NAME_CHECK})`);
  await knex.raw(`DROP POLICY IF EXISTS tenant_isolation ON ${table}`);
  await knex.raw(`CREATE POLICY tenant_isolation ON ${table} USING (${SCOPE}) WITH CHECK (${SCOPE})`);
  for (const partition of await partitionsOf(knex, table)) await knex.raw('SELECT vigil_secure_partition(?::regclass)', [partition]);
}

// Keys that were unique per tenant become unique per tenant and environment (a staging store may reuse a
// production store's code; each environment has its own link secret, signing key and webhook settings).
async function widenKeys(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE stores DROP CONSTRAINT stores_tenant_id_code_unique');
  await knex.raw('ALTER TABLE stores ADD CONSTRAINT stores_tenant_environment_code_unique UNIQUE (tenant_id, environment, code)');
  await knex.raw('ALTER TABLE evidence_keys DROP CONSTRAINT evidence_keys_pkey');
  await knex.raw('ALTER TABLE evidence_keys ADD PRIMARY KEY (tenant_id, environment)');
  await knex.raw('DROP INDEX evidence_signing_keys_active');
  await knex.raw(`CREATE UNIQUE INDEX evidence_signing_keys_active ON evidence_signing_keys (tenant_id, environment) WHERE state = 'active'`);
  await knex.raw('DROP INDEX retention_policies_scope');
  await knex.raw(`CREATE UNIQUE INDEX retention_policies_scope ON retention_policies (tenant_id, environment, COALESCE(region_id, ''), COALESCE(store_id, ''), COALESCE(incident_type, ''), outcome)`);
  await knex.raw('ALTER TABLE pos_transactions DROP CONSTRAINT pos_transactions_pkey');
  await knex.raw('ALTER TABLE pos_transactions ADD PRIMARY KEY (tenant_id, environment, pos_store_id, workstation_id, sequence_number, occurred_at)');
}

async function addAttributes(knex: Knex): Promise<void> {
  for (const table of ENVIRONMENT_ATTRIBUTE_TABLES) {
    await knex.raw(`ALTER TABLE ${table} ADD COLUMN environment text NOT NULL DEFAULT 'production'`);
    await knex.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_environment_check CHECK (${NAME_CHECK})`);
  }
  await knex.raw(`ALTER TABLE users ADD COLUMN environments text[] NOT NULL DEFAULT '{production}'`);
}

export async function up(knex: Knex): Promise<void> {
  await createEnvironments(knex);
  await knex.raw(PARTITION_FN);
  await knex.raw('REVOKE ALL ON FUNCTION vigil_secure_partition(regclass) FROM PUBLIC');
  for (const table of ENVIRONMENT_TABLES) await scopeTable(knex, table);
  await widenKeys(knex);
  await addAttributes(knex);
}

const TENANT_ONLY = `tenant_id = current_setting('vigil.tenant_id', true)`;

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE users DROP COLUMN environments');
  for (const table of ENVIRONMENT_ATTRIBUTE_TABLES) await knex.raw(`ALTER TABLE ${table} DROP COLUMN environment`);
  await knex.raw('ALTER TABLE pos_transactions DROP CONSTRAINT pos_transactions_pkey');
  await knex.raw('ALTER TABLE pos_transactions ADD PRIMARY KEY (tenant_id, pos_store_id, workstation_id, sequence_number, occurred_at)');
  await knex.raw('DROP INDEX retention_policies_scope');
  await knex.raw(`CREATE UNIQUE INDEX retention_policies_scope ON retention_policies (tenant_id, COALESCE(region_id, ''), COALESCE(store_id, ''), COALESCE(incident_type, ''), outcome)`);
  await knex.raw('DROP INDEX evidence_signing_keys_active');
  await knex.raw(`DELETE FROM evidence_signing_keys WHERE environment <> 'production'`);
  await knex.raw(`CREATE UNIQUE INDEX evidence_signing_keys_active ON evidence_signing_keys (tenant_id) WHERE state = 'active'`);
  await knex.raw(`DELETE FROM evidence_keys WHERE environment <> 'production'`);
  await knex.raw('ALTER TABLE evidence_keys DROP CONSTRAINT evidence_keys_pkey');
  await knex.raw('ALTER TABLE evidence_keys ADD PRIMARY KEY (tenant_id)');
  await knex.raw('ALTER TABLE stores DROP CONSTRAINT stores_tenant_environment_code_unique');
  await knex.raw('ALTER TABLE stores ADD CONSTRAINT stores_tenant_id_code_unique UNIQUE (tenant_id, code)');
  for (const table of ENVIRONMENT_TABLES) {
    await knex.raw(`DROP POLICY IF EXISTS tenant_isolation ON ${table}`);
    await knex.raw(`CREATE POLICY tenant_isolation ON ${table} USING (${TENANT_ONLY}) WITH CHECK (${TENANT_ONLY})`);
    for (const partition of await partitionsOf(knex, table)) await knex.raw('SELECT vigil_secure_partition(?::regclass)', [partition]);
    await knex.raw(`ALTER TABLE ${table} DROP COLUMN environment`);
  }
  await knex.raw('DROP TRIGGER tenants_production ON tenants');
  await knex.raw('DROP FUNCTION vigil_tenant_production()');
  await knex.raw('DROP TABLE environments');
}
