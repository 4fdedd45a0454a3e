import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startS3Server } from '../adapters/storage/s3/s3-test-server.js';
import {
  auditKeysFor, checkpointSignatureProblem, loadAuditKeys, parseCheckpoint, S3CheckpointStore, signCheckpoint, verifyAuditChains, writeAudit,
  type Checkpoint,
} from '../hub/audit/index.js';
import { loadHubConfig } from '../hub/config/index.js';
import { createLogger } from '../hub/logger.js';
import { startWorker } from '../hub/worker/index.js';
import { auditCheckpointJob } from '../hub/worker/audit-checkpoint-job.js';
import { RUNTIME_ROLE } from '../models/index.js';
import { databaseLabel } from './support/database.js';
import { startTestHub, type TestHub } from './support/hub.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'vigil-audit-anchor-'));

describe('audit configuration and keys', () => {
  test('VIGIL_AUDIT_* variables fill the audit section; a bad value is listed', () => {
    const config = loadHubConfig({
      env: { VIGIL_AUDIT_KEY_FILE: '/etc/vigil/audit.key', VIGIL_AUDIT_CHECKPOINT_DIR: '/srv/anchors', VIGIL_AUDIT_CHECKPOINT_INTERVAL_SECONDS: '30', VIGIL_AUDIT_S3_BUCKET: 'anchors', VIGIL_AUDIT_CHECKPOINT_WEBHOOK_URL: 'https://siem.example/audit' },
    });
    assert.equal(config.audit.keyFile, '/etc/vigil/audit.key');
    assert.equal(config.audit.checkpointDir, '/srv/anchors');
    assert.equal(config.audit.checkpointIntervalSeconds, 30);
    assert.equal(config.audit.s3?.bucket, 'anchors');
    assert.equal(config.audit.s3?.retainDays, 400);
    assert.equal(config.audit.checkpointWebhookUrl, 'https://siem.example/audit');
    assert.throws(() => loadHubConfig({ env: { VIGIL_AUDIT_CHECKPOINT_INTERVAL_SECONDS: '0' } }), /audit\.checkpointIntervalSeconds/);
    assert.equal(loadHubConfig({ env: {} }).audit.checkpointIntervalSeconds, 60);
  });

  test('with the defaults, the HMAC key and the signing key are made once under the data dir with mode 0600', () => {
    const dir = tempDir();
    try {
      const first = loadAuditKeys(loadHubConfig({ env: {} }).audit, dir);
      assert.equal(first.created.length, 2);
      for (const file of first.created) assert.equal(statSync(file).mode & 0o777, 0o600, file);
      const second = loadAuditKeys(loadHubConfig({ env: {} }).audit, dir);
      assert.deepEqual(second.created, []);
      assert.equal(second.mac.id, first.mac.id);
      assert.equal(second.signing.id, first.signing.id);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a configured key file that is missing or too short stops start-up with the file named', () => {
    const dir = tempDir();
    try {
      const missing = join(dir, 'nope.key');
      assert.throws(() => loadAuditKeys(loadHubConfig({ env: { VIGIL_AUDIT_KEY_FILE: missing } }).audit, dir), (e: Error & { code?: string }) => e.code === 'config_invalid' && e.message.includes(missing));
      const short = join(dir, 'short.key');
      writeFileSync(short, randomBytes(16).toString('base64'));
      assert.throws(() => loadAuditKeys(loadHubConfig({ env: { VIGIL_AUDIT_KEY_FILE: short } }).audit, dir), /at least 32 bytes/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('records keyed with a retired key still verify after rotation; a forgotten key is named', async () => {
    const dir = tempDir();
    const oldKey = join(dir, 'old.key');
    const newKey = join(dir, 'new.key');
    writeFileSync(oldKey, randomBytes(32).toString('hex'));
    writeFileSync(newKey, randomBytes(32).toString('hex'));
    const hub = await startTestHub({ dataDir: dir, audit: { keyFile: oldKey } });
    try {
      const rotated = loadAuditKeys(loadHubConfig({ env: { VIGIL_AUDIT_KEY_FILE: newKey, VIGIL_AUDIT_RETIRED_KEY_FILES: oldKey } }).audit, dir);
      assert.equal((await verifyAuditChains(hub.db.knex, hub.tenantId, { keyring: rotated }))[0]?.ok, true);
      const forgotten = loadAuditKeys(loadHubConfig({ env: { VIGIL_AUDIT_KEY_FILE: newKey } }).audit, dir);
      const [report] = await verifyAuditChains(hub.db.knex, hub.tenantId, { keyring: forgotten });
      assert.equal(report?.problem?.kind, 'unknown_key');
      assert.equal(report?.problem?.seq, 1);
    } finally {
      await hub.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('checkpoint stores', () => {
  const keyDir = tempDir();
  after(() => rmSync(keyDir, { recursive: true, force: true }));
  const keys = () => loadAuditKeys(loadHubConfig({ env: { VIGIL_AUDIT_KEY: randomBytes(32).toString('base64') } }).audit, keyDir);
  const checkpoint = (keyring: ReturnType<typeof keys>, tenantId: string, seq: number): Checkpoint =>
    signCheckpoint(keyring.signing, { tenantId, seq, headHash: randomBytes(32).toString('hex'), at: new Date(Date.UTC(2026, 10, 25, 12, 0, seq)).toISOString() });

  test('S3: checkpoints are written once each and the newest is read back with one listing', async () => {
    const dir = tempDir();
    const server = await startS3Server(dir, 'anchors');
    try {
      const store = new S3CheckpointStore({ bucket: 'anchors', prefix: 'audit/', endpoint: server.endpoint, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', retainDays: 0 });
      const keyring = keys();
      for (const seq of [3, 12, 9]) await store.put(checkpoint(keyring, 'ten_aaaaaaaaaaaa', seq));
      await store.put(checkpoint(keyring, 'ten_bbbbbbbbbbbb', 1));
      const latest = await store.latest('ten_aaaaaaaaaaaa');
      assert.equal(latest?.checkpoint?.seq, 12);
      assert.equal(checkpointSignatureProblem(latest.checkpoint, keyring.checkpointKeys), null);
      assert.deepEqual((await store.all('ten_aaaaaaaaaaaa')).map((f) => f.checkpoint?.seq), [3, 9, 12]);
      assert.deepEqual(await store.tenants(), ['ten_aaaaaaaaaaaa', 'ten_bbbbbbbbbbbb']);
      assert.equal(await store.latest('ten_cccccccccccc'), null);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('S3: each checkpoint is put under Object Lock in compliance mode with its retention date and Content-MD5', async () => {
    // s3rver ignores Object Lock, so a receiver records the request S3 would get.
    const seen: IncomingMessage[] = [];
    const receiver = createServer((req, res) => {
      seen.push(req);
      req.resume();
      req.on('end', () => res.writeHead(200, { etag: '"x"' }).end());
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    try {
      const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
      const store = new S3CheckpointStore({ bucket: 'anchors', prefix: 'audit/', endpoint, region: 'us-east-1', accessKeyId: 'k', secretAccessKey: 's', retainDays: 30 });
      const before = Date.now();
      await store.put(checkpoint(keys(), 'ten_aaaaaaaaaaaa', 7));
      const put = seen.find((r) => r.method === 'PUT');
      assert.ok(put, 'a PUT reached the bucket');
      assert.match(put.url ?? '', /^\/anchors\/audit\/ten_aaaaaaaaaaaa\/0999999999999992-0000000000000007\.json/);
      assert.equal(put.headers['x-amz-object-lock-mode'], 'COMPLIANCE');
      const until = Date.parse(String(put.headers['x-amz-object-lock-retain-until-date']));
      assert.ok(until >= before + 29 * 86_400_000 && until <= Date.now() + 31 * 86_400_000, String(put.headers['x-amz-object-lock-retain-until-date']));
      assert.ok(put.headers['content-md5']);
    } finally {
      receiver.close();
    }
  });
});

describe(`audit checkpoint job and concurrent writers (${databaseLabel()})`, () => {
  let hub: TestHub;
  let dir: string;
  before(async () => {
    dir = tempDir();
    hub = await startTestHub({ dataDir: dir, role: 'api' });
  });
  after(async () => {
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the worker job signs a checkpoint of each tenant head and POSTs it to the webhook and the directory', async () => {
    const arrived: Checkpoint[] = [];
    let notify: () => void = () => undefined;
    const first = new Promise<void>((resolve) => { notify = resolve; });
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => { body += chunk.toString(); });
      req.on('end', () => {
        const parsed = parseCheckpoint(body);
        if (parsed) arrived.push(parsed);
        res.writeHead(204).end();
        if (arrived.some((c) => c.tenantId === hub.tenantId)) notify();
      });
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/checkpoints`;
    const config = loadHubConfig({ env: {}, overrides: { dataDir: dir, audit: { checkpointWebhookUrl: url, checkpointIntervalSeconds: 3600 } } });
    const worker = startWorker({ knex: hub.db.knex, log: createLogger('silent'), config, jobs: [auditCheckpointJob] });
    try {
      await first;
    } finally {
      await worker.stop();
      receiver.close();
    }
    const mine = arrived.find((c) => c.tenantId === hub.tenantId);
    assert.ok(mine);
    const { rows } = await hub.db.knex.raw<{ rows: Array<{ seq: number; hash: string }> }>('SELECT seq, hash FROM audit_records WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1', [hub.tenantId]);
    assert.equal(mine.seq, Number(rows[0]?.seq));
    assert.equal(mine.headHash, rows[0]?.hash);
    assert.equal(checkpointSignatureProblem(mine, auditKeysFor(hub.db.knex).checkpointKeys), null);
    const file = join(dir, 'audit', 'checkpoints', hub.tenantId, `${String(mine.seq).padStart(16, '0')}.json`);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), mine);
  });

  test('concurrent writers of one tenant, as the runtime role, spread over shards and fork none of them', async () => {
    const writers = 12;
    await Promise.all(Array.from({ length: writers }, (_, i) => hub.db.knex.transaction(async (trx) => {
      await trx.raw("SELECT set_config('vigil.tenant_id', ?, true), set_config('role', ?, true)", [hub.tenantId, RUNTIME_ROLE]);
      await writeAudit({ actor: { type: 'system', id: 'test' }, tenantId: hub.tenantId, requestId: null, clientAddress: null, trx }, [
        { action: 'test.concurrent', subjectType: 'Test', subjectId: `w${i}a` },
        { action: 'test.concurrent', subjectType: 'Test', subjectId: `w${i}b` },
      ]);
    })));
    const [report] = await verifyAuditChains(hub.db.knex, hub.tenantId);
    assert.equal(report?.ok, true, report?.problem?.message);
    const { rows } = await hub.db.knex.raw<{ rows: Array<{ n: number; distinct_seqs: number }> }>(
      "SELECT count(*)::int AS n, count(DISTINCT (shard, seq))::int AS distinct_seqs FROM audit_records WHERE tenant_id = ? AND action = 'test.concurrent'", [hub.tenantId]);
    assert.deepEqual(rows[0], { n: writers * 2, distinct_seqs: writers * 2 });
  });

  test('a writer at REPEATABLE READ is refused rather than forking the chain', async () => {
    await assert.rejects(hub.db.knex.transaction(async (trx) => {
      await writeAudit({ actor: { type: 'system', id: 'test' }, tenantId: hub.tenantId, requestId: null, clientAddress: null, trx }, { action: 'test.snapshot', subjectType: 'Test', subjectId: 'rr' });
    }, { isolationLevel: 'repeatable read' }), /audit records are written at READ COMMITTED only \(this transaction is repeatable read\)/);
  });
});
