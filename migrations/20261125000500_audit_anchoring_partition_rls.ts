import type { Knex } from 'knex';
import { RUNTIME_ROLE } from './support/rls.js';

// Issue "Hub hardening" items 7 and 8.
//
// 1. Row-level security did not reach partitions: a query that names a partition (audit_records_202611,
//    detection_events_default…) bypasses the parent's policy. `vigil_secure_partition` gives a partition
//    the parent's policy, forces it, and grants the runtime role exactly what it has on the parent. This
//    migration applies it to every existing partition; the partition job calls it for each partition it
//    makes, in the same transaction. The rule lives in the schema, so a later migration that changes it
//    changes what the job does too.
// 2. The audit trail is append-only for the runtime role (SELECT, INSERT). The per-tenant head row, which
//    every writer updated, is gone: a writer takes a per-tenant advisory lock and reads the newest record
//    (audit_chain_tail). Records carry the MAC algorithm and key id, so keys can rotate. Records written by
//    the old unkeyed chain are kept and reported as such by `vigil audit verify`.

const PARTITION_FN = `
CREATE OR REPLACE FUNCTION vigil_secure_partition(part regclass) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
  parent regclass;
  privilege text;
BEGIN
  SELECT i.inhparent::regclass INTO parent FROM pg_inherits i WHERE i.inhrelid = part;
  IF parent IS NULL THEN
    RAISE EXCEPTION 'vigil_secure_partition: % is not a partition', part;
  END IF;
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', part);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', part);
  EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', part);
  EXECUTE format($p$CREATE POLICY tenant_isolation ON %s USING (tenant_id = current_setting('vigil.tenant_id', true)) WITH CHECK (tenant_id = current_setting('vigil.tenant_id', true))$p$, part);
  EXECUTE format('REVOKE ALL ON %s FROM ${RUNTIME_ROLE}', part);
  FOREACH privilege IN ARRAY ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE'] LOOP
    IF has_table_privilege('${RUNTIME_ROLE}', parent, privilege) THEN
      EXECUTE format('GRANT %s ON %s TO ${RUNTIME_ROLE}', privilege, part);
    END IF;
  END LOOP;
END
$fn$`;

// Volatile plpgsql: the SELECT after the lock takes a fresh snapshot (READ COMMITTED), so it sees the
// records of the writer that held the lock before us.
const TAIL_FN = `
CREATE OR REPLACE FUNCTION audit_chain_tail(tenant text, OUT seq bigint, OUT hash text)
LANGUAGE plpgsql VOLATILE AS $fn$
BEGIN
  -- Under REPEATABLE READ or SERIALIZABLE the read below would use the transaction's old snapshot and
  -- miss the records of the writer we waited for: the chain would fork. Refuse instead.
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'audit records are written at READ COMMITTED only (this transaction is %)', current_setting('transaction_isolation');
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('vigil.audit_chain:' || tenant, 0));
  SELECT r.seq, r.hash INTO seq, hash FROM audit_records r WHERE r.tenant_id = tenant ORDER BY r.seq DESC LIMIT 1;
END
$fn$`;

async function partitionsOfTenantTables(knex: Knex): Promise<string[]> {
  const { rows } = await knex.raw<{ rows: Array<{ name: string }> }>(`
    SELECT c.relname AS name
      FROM pg_inherits i
      JOIN pg_class c ON c.oid = i.inhrelid
      JOIN pg_class p ON p.oid = i.inhparent
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND p.relkind = 'p'
       AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = p.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
     ORDER BY c.relname`);
  return rows.map((r) => r.name);
}

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE audit_records ADD COLUMN mac_alg text NOT NULL DEFAULT 'sha256'`);
  await knex.raw(`ALTER TABLE audit_records ADD COLUMN key_id text`);
  await knex.raw(`ALTER TABLE audit_records ALTER COLUMN mac_alg DROP DEFAULT`);
  await knex.raw(`REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_records FROM ${RUNTIME_ROLE}`);
  await knex.raw(`GRANT SELECT, INSERT ON audit_records TO ${RUNTIME_ROLE}`);
  await knex.raw('DROP TABLE audit_heads');
  await knex.raw(PARTITION_FN);
  await knex.raw('REVOKE ALL ON FUNCTION vigil_secure_partition(regclass) FROM PUBLIC');
  await knex.raw(TAIL_FN);
  await knex.raw('REVOKE ALL ON FUNCTION audit_chain_tail(text) FROM PUBLIC');
  await knex.raw(`GRANT EXECUTE ON FUNCTION audit_chain_tail(text) TO ${RUNTIME_ROLE}`);
  for (const partition of await partitionsOfTenantTables(knex)) await knex.raw('SELECT vigil_secure_partition(?::regclass)', [partition]);
}

export async function down(knex: Knex): Promise<void> {
  for (const partition of await partitionsOfTenantTables(knex)) {
    await knex.raw(`DROP POLICY IF EXISTS tenant_isolation ON ${partition}`);
    await knex.raw(`ALTER TABLE ${partition} NO FORCE ROW LEVEL SECURITY`);
    await knex.raw(`ALTER TABLE ${partition} DISABLE ROW LEVEL SECURITY`);
    await knex.raw(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${partition} TO ${RUNTIME_ROLE}`);
  }
  await knex.raw('DROP FUNCTION IF EXISTS audit_chain_tail(text)');
  await knex.raw('DROP FUNCTION IF EXISTS vigil_secure_partition(regclass)');
  await knex.schema.createTable('audit_heads', (t) => {
    t.text('tenant_id').primary().references('id').inTable('tenants');
    t.bigInteger('seq').notNullable();
    t.text('hash').notNullable();
  });
  await knex.raw(`
    INSERT INTO audit_heads (tenant_id, seq, hash)
    SELECT DISTINCT ON (tenant_id) tenant_id, seq, hash FROM audit_records ORDER BY tenant_id, seq DESC`);
  await knex.raw('ALTER TABLE audit_heads ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE audit_heads FORCE ROW LEVEL SECURITY');
  await knex.raw(`CREATE POLICY tenant_isolation ON audit_heads USING (tenant_id = current_setting('vigil.tenant_id', true)) WITH CHECK (tenant_id = current_setting('vigil.tenant_id', true))`);
  await knex.raw(`GRANT SELECT, INSERT, UPDATE, DELETE ON audit_heads TO ${RUNTIME_ROLE}`);
  await knex.raw(`GRANT UPDATE, DELETE ON audit_records TO ${RUNTIME_ROLE}`);
  await knex.raw('ALTER TABLE audit_records DROP COLUMN key_id');
  await knex.raw('ALTER TABLE audit_records DROP COLUMN mac_alg');
}
