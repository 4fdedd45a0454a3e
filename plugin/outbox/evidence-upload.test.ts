import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { startTestHub } from '../../test/support/hub.js';
import { HubClient } from '../hub-client/index.js';
import { EvidenceUploadSender, isOutboxError, openOutbox } from './index.js';
import type { EvidenceJobInput, OutboxOptions } from './index.js';
import { startRecordingProxy } from './test-support/recording-proxy.js';
import { tempDir, waitFor } from './test-support/fixtures.js';

/** A metadata item (JSON, as the hub checks it) of about `bytes` bytes. */
async function metadataFile(dir: string, name: string, bytes: number): Promise<{ path: string; bytes: number; sha256: string }> {
  const body = Buffer.from(JSON.stringify({ detections: [], note: randomBytes(Math.ceil(bytes / 2)).toString('hex').slice(0, bytes) }));
  const path = join(dir, name);
  await writeFile(path, body);
  return { path, bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') };
}

async function setup(t: Parameters<typeof tempDir>[0]) {
  const dir = await tempDir(t, 'vigil-evidence-');
  const hub = await startTestHub({ dataDir: join(dir, 'hub') });
  t.after(() => hub.stop());
  const store = await hub.createStore();
  const camera = await hub.createCamera(store.id);
  const token = await hub.createPluginToken([store.id]);
  const proxy = await startRecordingProxy(hub.url);
  t.after(() => proxy.close());
  proxy.isUp = true;
  const client = new HubClient({ baseUrl: proxy.url, token });
  const options: OutboxOptions = {
    dir: join(dir, 'outbox'),
    senders: { evidence: new EvidenceUploadSender(client, { stateDir: join(dir, 'outbox', 'evidence-uploads'), chunkBytes: 64 * 1024 }) },
    backoff: { baseMs: 20, capMs: 200 },
  };
  const job = (file: { path: string; bytes: number; sha256: string }): EvidenceJobInput => ({
    filePath: file.path,
    upload: { kind: 'metadata', bytes: file.bytes, sha256: file.sha256, cameraId: camera.id, capturedFrom: '2026-01-01T12:00:00Z', capturedTo: '2026-01-01T12:00:10Z' },
  });
  return { dir, hub, proxy, options, job };
}

test('an evidence upload cut off mid-file resumes after a restart at the hub offset, with one upload and one item', { timeout: 300_000 }, async (t) => {
  const { dir, hub, proxy, options, job } = await setup(t);
  const file = await metadataFile(dir, 'meta.json', 300 * 1024);
  let patches = 0;
  // The third chunk's connection drops, then the hub is unreachable until the plugin has restarted.
  proxy.dropWhen = (method) => method === 'PATCH' && (patches += 1) >= 3;
  const first = await openOutbox(options);
  await first.appendEvidenceJob(job(file));
  await waitFor('the cut-off chunk', () => patches >= 3);
  const stopped = await first.close({ drainTimeoutMs: 0 });
  assert.equal(stopped.pending, 1);

  proxy.dropWhen = () => false;
  const second = await openOutbox(options);
  t.after(async () => {
    await second.close();
  });
  await waitFor('upload completed', () => second.stats().pending === 0, 180_000);
  assert.equal(second.stats().deadLettered, 0);
  const uploads = await hub.db.knex('evidence_uploads').where({ tenant_id: hub.tenantId }).select('state');
  assert.deepEqual(uploads.map((u: { state: string }) => u.state), ['complete'], 'resumed, not opened twice');
  const items = await hub.db.knex('evidence_items').where({ tenant_id: hub.tenantId }).select('sha256', 'bytes');
  assert.equal(items.length, 1);
  assert.equal(items[0].sha256, file.sha256);
  assert.equal(Number(items[0].bytes), file.bytes);
});

test('an evidence job whose file is gone is dead-lettered and the next job of the camera is delivered', { timeout: 300_000 }, async (t) => {
  const { dir, hub, options, job } = await setup(t);
  const outbox = await openOutbox(options);
  t.after(async () => {
    await outbox.close();
  });
  await assert.rejects(outbox.appendEvidenceJob({ filePath: 'x', upload: { kind: 'clip' } } as unknown as EvidenceJobInput), (e: unknown) => isOutboxError(e, 'invalid_record'));
  const good = await metadataFile(dir, 'good.json', 2_000);
  await outbox.appendEvidenceJob(job({ path: join(dir, 'missing.json'), bytes: 10, sha256: 'a'.repeat(64) }));
  await outbox.appendEvidenceJob(job(good));
  await waitFor('stream settled', () => outbox.stats().pending === 0, 180_000);
  assert.equal(outbox.stats().deadLettered, 1);
  const items = await hub.db.knex('evidence_items').where({ tenant_id: hub.tenantId }).select('sha256');
  assert.deepEqual(items.map((i: { sha256: string }) => i.sha256), [good.sha256]);
});
