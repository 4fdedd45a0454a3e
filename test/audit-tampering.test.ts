import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import {
  auditKeysFor, checkpointTargets, exportCheckpoints, hashAuditRecord, macAuditRecord, signCheckpoint, verifyAuditChains, GENESIS_HASH,
  type AuditKeyring, type ChainReport, type CheckpointTargets, type ExportedHead,
} from '../hub/audit/index.js';
import { loadHubConfig } from '../hub/config/index.js';
import { AuditRecord } from '../models/index.js';
import { databaseLabel } from './support/database.js';
import { startTestHub, type TestHub } from './support/hub.js';

// A database administrator tampers with the audit trail by direct SQL, as the owner role; `vigil audit
// verify`, holding the HMAC key and the signed checkpoints exported outside the database, names each attack.

const VIGIL = join(import.meta.dirname, '..', 'bin', 'vigil.mjs');

/** The URL of the test's own PostgreSQL database, or '' for the embedded one. */
function databaseUrlOf(hub: TestHub): string {
  if (databaseLabel() === 'pglite') return '';
  return (hub.db.knex.client.config as { connection: { connectionString: string } }).connection.connectionString;
}

type Rewrite = (prevHash: string, record: AuditRecord) => { hash: string; macAlg: string; keyId: string | null };

describe(`audit trail against a database administrator (${databaseLabel()})`, () => {
  let dir: string;
  let hub: TestHub;
  let keyring: AuditKeyring;
  let targets: CheckpointTargets;
  const exported = new Map<string, ExportedHead>();
  let hubStopped = false;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-audit-tamper-'));
    hub = await startTestHub({ dataDir: dir }, { pgliteDir: dir });
    keyring = auditKeysFor(hub.db.knex);
    targets = checkpointTargets(loadHubConfig({ env: {}, overrides: { dataDir: dir } }).audit, dir);
  });
  after(async () => {
    if (!hubStopped) await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A tenant with `count` + 2 audit records (creation writes 2) and a checkpoint of its head. */
  async function tenantWithCheckpoint(count = 4): Promise<string> {
    const tenant = await hub.createTenant(`Tamper ${randomBytes(3).toString('hex')}`);
    for (let i = 0; i < count; i += 1) await tenant.admin.post('/v1/regions', { name: `Region ${i}` });
    const made = await exportCheckpoints(hub.db.knex, { keyring, targets, exported });
    assert.ok(made.some((c) => c.tenantId === tenant.tenantId && c.seq === count + 2));
    return tenant.tenantId;
  }

  const verify = async (tenantId: string): Promise<ChainReport> => {
    const [report] = await verifyAuditChains(hub.db.knex, tenantId, { keyring, stores: targets.stores });
    assert.ok(report);
    return report;
  };

  /** Rewrites every record's hashes in order by direct SQL, as someone recomputing the chain would. */
  async function rewriteChain(tenantId: string, rewrite: Rewrite): Promise<void> {
    const records = await AuditRecord.query(hub.db.knex).where('tenant_id', tenantId).orderBy('seq');
    let prevHash = GENESIS_HASH;
    for (const record of records) {
      const next = rewrite(prevHash, record);
      await hub.db.knex.raw('UPDATE audit_records SET prev_hash = ?, hash = ?, mac_alg = ?, key_id = ? WHERE tenant_id = ? AND seq = ?', [
        prevHash, next.hash, next.macAlg, next.keyId, tenantId, record.seq,
      ]);
      prevHash = next.hash;
    }
  }

  test('an untouched chain verifies against its checkpoint', async () => {
    const tenantId = await tenantWithCheckpoint();
    const report = await verify(tenantId);
    assert.equal(report.ok, true, report.problem?.message);
    assert.equal(report.checkpoint?.seq, 6);
  });

  test('tail truncation with the head rolled back is named: deleted newest records while a checkpoint holds them', async () => {
    const tenantId = await tenantWithCheckpoint();
    await hub.db.knex.raw('DELETE FROM audit_records WHERE tenant_id = ? AND seq > 3', [tenantId]);
    const report = await verify(tenantId);
    assert.equal(report.problem?.kind, 'truncated');
    assert.match(report.problem?.message ?? '', /chain ends at seq 3 but checkpoint .* says 6: records 4\.\.6 were deleted from the tail/);
    const logged: string[] = [];
    const log = pino({ level: 'error' }, { write: (line: string) => void logged.push(line) });
    const made = await exportCheckpoints(hub.db.knex, { keyring, targets, exported: new Map(), log });
    assert.equal(made.filter((c) => c.tenantId === tenantId).length, 0, 'the rolled-back head is never signed');
    assert.ok(logged.some((l) => l.includes(tenantId) && l.includes('audit chain tampered with: the chain now ends at seq 3, before the signed seq 6')), logged.join(''));
    assert.equal((await targets.stores[0]!.latest(tenantId))?.checkpoint?.seq, 6);
  });

  test('a full re-hash with plain SHA-256 is named', async () => {
    const tenantId = await tenantWithCheckpoint();
    await rewriteChain(tenantId, (prev, r) => ({ hash: hashAuditRecord(prev, r), macAlg: 'sha256', keyId: null }));
    const report = await verify(tenantId);
    assert.equal(report.problem?.kind, 'rehashed');
    assert.equal(report.problem?.seq, 1);
    assert.match(report.problem?.message ?? '', /plain SHA-256 hashes, not the keyed MAC: the chain was re-hashed without the HMAC key/);
  });

  test('a full re-HMAC without the key (a guessed key under our key id) is named', async () => {
    const tenantId = await tenantWithCheckpoint();
    const guessed = randomBytes(32);
    await rewriteChain(tenantId, (prev, r) => ({ hash: macAuditRecord(guessed, keyring.mac.id, prev, r), macAlg: 'hmac-sha256', keyId: keyring.mac.id }));
    const report = await verify(tenantId);
    assert.equal(report.problem?.kind, 'rehashed');
    assert.match(report.problem?.message ?? '', /records 1\.\.6 \(6\) link to each other but none matches its MAC: the chain was re-hashed/);
  });

  test('an edit re-hashed with the HMAC key itself is named by the signed checkpoint', async () => {
    const tenantId = await tenantWithCheckpoint();
    await hub.db.knex.raw("UPDATE audit_records SET action = 'region.renamed' WHERE tenant_id = ? AND seq = 4", [tenantId]);
    const { secret, id } = keyring.mac;
    await rewriteChain(tenantId, (prev, r) => ({ hash: macAuditRecord(secret, id, prev, r), macAlg: 'hmac-sha256', keyId: id }));
    const report = await verify(tenantId);
    assert.equal(report.problem?.kind, 'rehashed');
    assert.match(report.problem?.message ?? '', /record 6 no longer has the hash checkpoint .* recorded: the chain up to it was rewritten and re-hashed/);
  });

  test("a tenant's wiped trail (every record gone) is named while its checkpoint exists", async () => {
    const tenantId = await tenantWithCheckpoint();
    await hub.db.knex.raw('DELETE FROM audit_records WHERE tenant_id = ?', [tenantId]);
    const report = await verify(tenantId);
    assert.equal(report.problem?.kind, 'wiped');
    assert.match(report.problem?.message ?? '', /no audit records at all, but checkpoint .* says the chain held 6 records .*: the tenant's trail was wiped/);
    const all = await verifyAuditChains(hub.db.knex, undefined, { keyring, stores: targets.stores });
    assert.equal(all.find((r) => r.tenantId === tenantId)?.problem?.kind, 'wiped', 'a verify of all tenants finds it too');
  });

  test('a rewrite by someone holding both keys, with a newer checkpoint signed over it, is named by the older checkpoints', async () => {
    const tenantId = await tenantWithCheckpoint();
    await hub.db.knex.raw("UPDATE audit_records SET action = 'region.renamed' WHERE tenant_id = ? AND seq = 3", [tenantId]);
    // The attacker appends a record so their own signed checkpoint becomes the newest, then re-MACs with the key.
    const { secret, id } = keyring.mac;
    await hub.db.knex.raw(`INSERT INTO audit_records (tenant_id, seq, id, occurred_at, actor_type, actor_id, action, subject_type, subject_id, prev_hash, hash, mac_alg, key_id)
      VALUES (?, 7, 'aud_forged', now(), 'system', 'x', 'noop', 'Test', 'x', '', '', 'hmac-sha256', ?)`, [tenantId, id]);
    await rewriteChain(tenantId, (prev, r) => ({ hash: macAuditRecord(secret, id, prev, r), macAlg: 'hmac-sha256', keyId: id }));
    const [head] = (await hub.db.knex.raw<{ rows: Array<{ hash: string }> }>('SELECT hash FROM audit_records WHERE tenant_id = ? AND seq = 7', [tenantId])).rows;
    await targets.stores[0]!.put(signCheckpoint(keyring.signing, { tenantId, seq: 7, headHash: head?.hash ?? '', at: new Date().toISOString() }));
    const newestOnly = await verify(tenantId);
    assert.equal(newestOnly.ok, true, 'the documented limit: against the newest checkpoint alone, both keys suffice');
    const [deep] = await verifyAuditChains(hub.db.knex, tenantId, { keyring, stores: targets.stores, allCheckpoints: true });
    assert.equal(deep?.problem?.kind, 'rehashed');
    assert.match(deep?.problem?.message ?? '', /record 6 no longer has the hash checkpoint .*0000000000000006\.json/);
  });

  test('a forged checkpoint file is refused', async () => {
    const tenantId = await tenantWithCheckpoint(1);
    const found = await targets.stores[0]!.latest(tenantId);
    assert.ok(found?.checkpoint);
    const forged = { ...found.checkpoint, seq: found.checkpoint.seq + 1, signature: randomBytes(64).toString('base64') };
    await targets.stores[0]!.put(forged);
    const report = await verify(tenantId);
    assert.equal(report.problem?.kind, 'checkpoint_invalid');
    assert.match(report.problem?.message ?? '', /its signature does not verify/);
  });

  test('vigil audit verify names truncation, re-hashing and wiping, and exits 2', async () => {
    const truncated = await tenantWithCheckpoint();
    const rehashed = await tenantWithCheckpoint();
    const wiped = await tenantWithCheckpoint();
    await hub.db.knex.raw('DELETE FROM audit_records WHERE tenant_id = ? AND seq > 4', [truncated]);
    await rewriteChain(rehashed, (prev, r) => ({ hash: hashAuditRecord(prev, r), macAlg: 'sha256', keyId: null }));
    await hub.db.knex.raw('DELETE FROM audit_records WHERE tenant_id = ?', [wiped]);
    const env = { ...process.env, DATABASE_URL: databaseUrlOf(hub), VIGIL_DATA_DIR: dir, VIGIL_LOG_LEVEL: 'silent' };
    // The embedded database is one process's at a time: the CLI opens it once the hub is gone.
    if (databaseLabel() === 'pglite') {
      await hub.stop();
      hubStopped = true;
    }
    const run = spawnSync(process.execPath, [VIGIL, 'audit', 'verify'], { env, encoding: 'utf8', timeout: 180_000 });
    const out = `${run.stdout}${run.stderr}`;
    assert.equal(run.status, 2, out);
    assert.match(out, new RegExp(`BROKEN\\s+${truncated}\\s+truncated: chain ends at seq 4`));
    assert.match(out, new RegExp(`BROKEN\\s+${rehashed}\\s+rehashed: record 1 \\(\\S+\\) onward carry plain SHA-256`));
    assert.match(out, new RegExp(`BROKEN\\s+${wiped}\\s+wiped: no audit records at all`));
    assert.ok(readdirSync(join(dir, 'audit', 'checkpoints')).includes(wiped));
  });
});
