import type { Knex } from 'knex';
import { disableTenantRls, enableTenantRls, RUNTIME_ROLE } from './support/rls.js';

// Issue 21, ingest throughput: no tenant-wide row or lock is held to commit on the ingest path.
//
// 1. The audit trail is one keyed chain per (tenant, shard). A writer takes the lowest shard of its tenant
//    whose advisory lock is free (pg_try_advisory_xact_lock, so it waits only when every shard is busy) and
//    appends to that shard's chain. A lone writer always gets shard 0, so a quiet tenant keeps one chain.
//    Every shard is a complete chain (seq from 1, prev_hash, keyed MAC) with checkpoints of its own.
// 2. Usage is counted in an append-only table, one row per metered unit of work, and rolled up into
//    usage_counters by the worker; the daily counter row is no longer updated by every batch.

const SHARD_TAIL_FN = `
CREATE OR REPLACE FUNCTION audit_shard_tail(tenant text, shards int, OUT shard int, OUT seq bigint, OUT hash text)
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  chosen int;
BEGIN
  -- Under REPEATABLE READ or SERIALIZABLE the read below would use the transaction's old snapshot and
  -- miss the records of the writer we waited for: the chain would fork. Refuse instead.
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'audit records are written at READ COMMITTED only (this transaction is %)', current_setting('transaction_isolation');
  END IF;
  -- A lock this transaction already holds is granted again, so a second append in one transaction never waits.
  FOR k IN 0 .. shards - 1 LOOP
    IF pg_try_advisory_xact_lock(hashtextextended('vigil.audit_chain:' || tenant || '/' || k, 0)) THEN
      chosen := k;
      EXIT;
    END IF;
  END LOOP;
  IF chosen IS NULL THEN
    chosen := floor(random() * shards)::int;
    PERFORM pg_advisory_xact_lock(hashtextextended('vigil.audit_chain:' || tenant || '/' || chosen, 0));
  END IF;
  shard := chosen;
  -- Volatile plpgsql: this SELECT takes a fresh snapshot (READ COMMITTED) after the lock is granted.
  SELECT r.seq, r.hash INTO seq, hash FROM audit_records r WHERE r.tenant_id = tenant AND r.shard = chosen ORDER BY r.seq DESC LIMIT 1;
END
$fn$`;

const TAIL_FN = `
CREATE OR REPLACE FUNCTION audit_chain_tail(tenant text, OUT seq bigint, OUT hash text)
LANGUAGE plpgsql VOLATILE AS $fn$
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'audit records are written at READ COMMITTED only (this transaction is %)', current_setting('transaction_isolation');
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('vigil.audit_chain:' || tenant, 0));
  SELECT r.seq, r.hash INTO seq, hash FROM audit_records r WHERE r.tenant_id = tenant ORDER BY r.seq DESC LIMIT 1;
END
$fn$`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE audit_records ADD COLUMN shard smallint NOT NULL DEFAULT 0');
  await knex.raw('ALTER TABLE audit_records DROP CONSTRAINT audit_records_pkey');
  await knex.raw('ALTER TABLE audit_records ADD PRIMARY KEY (tenant_id, shard, seq, occurred_at)');
  await knex.raw('DROP FUNCTION IF EXISTS audit_chain_tail(text)');
  await knex.raw(SHARD_TAIL_FN);
  await knex.raw('REVOKE ALL ON FUNCTION audit_shard_tail(text, int) FROM PUBLIC');
  await knex.raw(`GRANT EXECUTE ON FUNCTION audit_shard_tail(text, int) TO ${RUNTIME_ROLE}`);

  await knex.raw(`
    CREATE TABLE usage_increments (
      tenant_id text NOT NULL REFERENCES tenants(id),
      id bigint GENERATED ALWAYS AS IDENTITY,
      day date NOT NULL,
      metric text NOT NULL,
      value bigint NOT NULL,
      PRIMARY KEY (tenant_id, id)
    )`);
  await enableTenantRls(knex, 'usage_increments');
  // Append-only for the runtime role; the worker (owner role) folds rows into usage_counters.
  await knex.raw(`REVOKE UPDATE, DELETE ON usage_increments FROM ${RUNTIME_ROLE}`);
}

export async function down(knex: Knex): Promise<void> {
  // Shards other than 0 cannot become one chain again: they are refused rather than silently merged.
  const { rows } = await knex.raw<{ rows: Array<{ n: number }> }>('SELECT count(*)::int AS n FROM audit_records WHERE shard <> 0');
  if ((rows[0]?.n ?? 0) > 0) throw new Error('audit records in shards other than 0 exist; a single-chain schema cannot hold them');
  // Pending increments are folded into the daily counters before the table goes.
  await knex.raw(`
    INSERT INTO usage_counters (tenant_id, day, metric, value)
    SELECT tenant_id, day, metric, sum(value) FROM usage_increments GROUP BY tenant_id, day, metric
    ON CONFLICT (tenant_id, day, metric) DO UPDATE SET value = usage_counters.value + EXCLUDED.value`);
  await disableTenantRls(knex, 'usage_increments');
  await knex.raw('DROP TABLE usage_increments');
  await knex.raw('DROP FUNCTION IF EXISTS audit_shard_tail(text, int)');
  await knex.raw(TAIL_FN);
  await knex.raw('REVOKE ALL ON FUNCTION audit_chain_tail(text) FROM PUBLIC');
  await knex.raw(`GRANT EXECUTE ON FUNCTION audit_chain_tail(text) TO ${RUNTIME_ROLE}`);
  await knex.raw('ALTER TABLE audit_records DROP CONSTRAINT audit_records_pkey');
  await knex.raw('ALTER TABLE audit_records ADD PRIMARY KEY (tenant_id, seq, occurred_at)');
  await knex.raw('ALTER TABLE audit_records DROP COLUMN shard');
}
