import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Knex } from 'knex';
import {
  auditKeysFor, chainRecords, checkpointTargets, exportCheckpoints, verifyAuditChains, writeAudit, GENESIS_HASH,
  type AuditKeyring, type ChainReport, type CheckpointTargets, type CommandContext, type ExportedHead,
} from '../hub/audit/index.js';
import { loadHubConfig } from '../hub/config/index.js';
import { AuditRecord } from '../models/index.js';
import { databaseLabel } from './support/database.js';
import { startTestHub, type TestHub } from './support/hub.js';

// A tenant's audit trail spreads over several keyed chains (shards) when writers run at once. Each shard
// is a chain of its own with its own checkpoints; `vigil audit verify` walks every shard and names the
// shard a tampering is in.

const VIGIL = join(import.meta.dirname, '..', 'bin', 'vigil.mjs');
const system = (tenantId: string, trx: Knex.Transaction): CommandContext => ({ actor: { type: 'system', id: 'test' }, tenantId, requestId: null, clientAddress: null, trx });

describe(`sharded audit chains (${databaseLabel()})`, () => {
  let dir: string;
  let hub: TestHub;
  let keyring: AuditKeyring;
  let targets: CheckpointTargets;
  const exported = new Map<string, ExportedHead>();
  let hubStopped = false;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-audit-shards-'));
    hub = await startTestHub({ dataDir: dir }, { pgliteDir: dir });
    keyring = auditKeysFor(hub.db.knex);
    targets = checkpointTargets(loadHubConfig({ env: {}, overrides: { dataDir: dir } }).audit, dir);
  });
  after(async () => {
    if (!hubStopped) await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Extends shard `shard` of the tenant by `count` records, as a writer that found shards 0..shard-1
   * busy does: the same records writeAudit makes, numbered on from the shard's tail.
   */
  async function appendToShard(tenantId: string, shard: number, count: number): Promise<void> {
    const tail = await hub.db.knex('audit_records').where({ tenant_id: tenantId, shard }).orderBy('seq', 'desc').first<{ seq: string; hash: string } | undefined>('seq', 'hash');
    const entries = Array.from({ length: count }, (_, i) => ({ action: 'test.sharded', subjectType: 'Test', subjectId: `s${shard}-${i}` }));
    const ctx = { actor: { type: 'system' as const, id: 'test' }, tenantId, requestId: null, clientAddress: null };
    await AuditRecord.query(hub.db.knex).insert(chainRecords(ctx, { shard, seq: Number(tail?.seq ?? 0), hash: tail?.hash ?? GENESIS_HASH }, entries, keyring.mac));
  }

  /** A tenant with 2 records in shard 0 (its creation), 4 in shard 1 and 3 in shard 2. */
  async function shardedTenant(): Promise<string> {
    const { tenantId } = await hub.createTenant(`Shards ${Math.random().toString(36).slice(2, 8)}`);
    await appendToShard(tenantId, 1, 4);
    await appendToShard(tenantId, 2, 3);
    return tenantId;
  }

  const verify = async (tenantId: string): Promise<ChainReport> => {
    const [report] = await verifyAuditChains(hub.db.knex, tenantId, { keyring, stores: targets.stores });
    assert.ok(report);
    return report;
  };
  const where = (tenantId: string, shard: number, seq: number) => hub.db.knex('audit_records').where({ tenant_id: tenantId, shard, seq });

  test('concurrent writers of one tenant take different shards, and each shard verifies', { skip: databaseLabel() === 'pglite' ? 'PGlite has one connection: its writers never overlap' : false }, async () => {
    let held: () => void = () => undefined;
    let release: () => void = () => undefined;
    const holding = new Promise<void>((resolve) => { held = resolve; });
    const released = new Promise<void>((resolve) => { release = resolve; });
    const first = hub.db.knex.transaction(async (trx) => {
      const [record] = await writeAudit(system(hub.tenantId, trx), { action: 'test.first', subjectType: 'Test', subjectId: 'a' });
      held();
      await released;
      return record;
    });
    await holding;
    const second = await hub.db.knex.transaction(async (trx) => (await writeAudit(system(hub.tenantId, trx), { action: 'test.second', subjectType: 'Test', subjectId: 'b' }))[0]);
    release();
    const firstRecord = await first;
    assert.equal(firstRecord?.shard, 0, 'a lone writer takes shard 0');
    assert.equal(second?.shard, 1, 'the writer that found shard 0 locked took shard 1 without waiting for it');
    assert.equal(second?.seq, 1, 'shard 1 starts its own chain');
    const report = await verify(hub.tenantId);
    assert.equal(report.ok, true, report.problem?.message);
    assert.deepEqual(report.shards.map((s) => s.shard), [0, 1]);
  });

  test('an untouched sharded trail verifies, with every record of every shard counted', async () => {
    const tenantId = await shardedTenant();
    const report = await verify(tenantId);
    assert.equal(report.ok, true, report.problem?.message);
    assert.equal(report.records, 9);
    assert.deepEqual(report.shards.map((s) => [s.shard, s.records]), [[0, 2], [1, 4], [2, 3]]);
  });

  test('an edit, a reorder and a deletion in one shard are named with that shard', async () => {
    const tenantId = await shardedTenant();
    await where(tenantId, 2, 2).update({ action: 'test.rewritten' });
    let report = await verify(tenantId);
    assert.equal(report.problem?.kind, 'edited');
    assert.deepEqual([report.problem?.shard, report.problem?.seq], [2, 2]);
    assert.match(report.problem?.message ?? '', /^shard 2: record 2 \(\S+\) was edited/);
    await where(tenantId, 2, 2).update({ action: 'test.sharded' });
    assert.equal((await verify(tenantId)).ok, true, 'restoring the edit restores the chain');

    await where(tenantId, 1, 2).update({ seq: -2 });
    await where(tenantId, 1, 3).update({ seq: 2 });
    await where(tenantId, 1, -2).update({ seq: 3 });
    report = await verify(tenantId);
    assert.equal(report.problem?.kind, 'inserted_or_reordered');
    assert.deepEqual([report.problem?.shard, report.problem?.seq], [1, 2]);

    const other = await shardedTenant();
    await where(other, 1, 3).delete();
    report = await verify(other);
    assert.equal(report.problem?.kind, 'deleted');
    assert.deepEqual([report.problem?.shard, report.problem?.seq], [1, 4]);
  });

  test('a record moved to another shard is named: its MAC covers the shard', async () => {
    const tenantId = await shardedTenant();
    // The newest record of shard 2 is re-labelled as record 5 of shard 1, which would extend shard 1 by seq.
    await where(tenantId, 2, 3).update({ shard: 1, seq: 5 });
    const report = await verify(tenantId);
    assert.equal(report.ok, false);
    assert.equal(report.problem?.shard, 1);
    assert.match(report.problem?.kind ?? '', /inserted_or_reordered|edited/);
  });

  test('each shard has its own checkpoints: a truncated shard and a wiped shard are named', async () => {
    const truncated = await shardedTenant();
    const wiped = await shardedTenant();
    const made = await exportCheckpoints(hub.db.knex, { keyring, targets, exported });
    for (const tenantId of [truncated, wiped]) {
      assert.deepEqual(made.filter((c) => c.tenantId === tenantId).map((c) => [c.shard ?? 0, c.seq]).sort(), [[0, 2], [1, 4], [2, 3]]);
    }
    assert.ok(existsSync(join(dir, 'audit', 'checkpoints', `${truncated}.shard-1`)), 'shard 1 has its own folder beside the tenant\'s');
    assert.equal((await verify(truncated)).ok, true);

    await hub.db.knex('audit_records').where({ tenant_id: truncated, shard: 1 }).where('seq', '>', 2).delete();
    let report = await verify(truncated);
    assert.equal(report.problem?.kind, 'truncated');
    assert.equal(report.problem?.shard, 1);
    assert.match(report.problem?.message ?? '', /^shard 1: chain ends at seq 2 but checkpoint .* says 4/);

    await hub.db.knex('audit_records').where({ tenant_id: wiped, shard: 2 }).delete();
    report = await verify(wiped);
    assert.equal(report.problem?.kind, 'wiped');
    assert.equal(report.problem?.shard, 2);
    assert.deepEqual(report.shards.map((s) => [s.shard, s.ok]), [[0, true], [1, true], [2, false]]);
  });

  test('vigil audit verify walks every shard of every tenant and names the broken one', async () => {
    const good = await shardedTenant();
    const broken = await shardedTenant();
    await where(broken, 2, 1).update({ subject_id: 'forged' });
    const url = databaseLabel() === 'pglite' ? '' : (hub.db.knex.client.config as { connection: { connectionString: string } }).connection.connectionString;
    if (databaseLabel() === 'pglite') {
      await hub.stop();
      hubStopped = true;
    }
    const run = spawnSync(process.execPath, [VIGIL, 'audit', 'verify'], { env: { ...process.env, DATABASE_URL: url, VIGIL_DATA_DIR: dir, VIGIL_LOG_LEVEL: 'silent' }, encoding: 'utf8', timeout: 180_000 });
    const out = `${run.stdout}${run.stderr}`;
    assert.equal(run.status, 2, out);
    assert.match(out, new RegExp(`OK\\s+${good}\\s+9 records in 3 shards`));
    assert.match(out, new RegExp(`BROKEN\\s+${broken}\\s+edited: shard 2: record 1 \\(\\S+\\) was edited`));
  });
});
