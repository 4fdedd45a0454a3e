import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildEvent } from '../support/factories.js';
import { makeClip, makeSnapshot, patchChunk, sha256, startEvidenceWorld, storedFiles, uploadEvidence, uploadRequest, type EvidenceWorld } from './support.js';

/**
 * Sends `bytes` as one PATCH but kills the connection once the hub has stored `sendBytes` of them (watched
 * on the filesystem backend's staging file), like a plugin killed halfway through a clip.
 */
function dropMidChunk(world: EvidenceWorld, uploadId: string, offset: number, bytes: Buffer, sendBytes: number): Promise<void> {
  const staged = join(world.dir, 'evidence', 'staging', 'uploads', world.hub.tenantId, uploadId);
  return new Promise((resolve, reject) => {
    const url = new URL(`/v1/evidence/uploads/${uploadId}`, world.hub.url);
    const req = request(url, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${world.plugin.token}`, 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset), 'content-length': String(bytes.length),
      },
    });
    req.on('error', () => resolve());
    req.on('response', () => reject(new Error('the hub answered a chunk that never finished')));
    req.write(bytes.subarray(0, sendBytes));
    const started = Date.now();
    const watch = setInterval(() => {
      void stat(staged).then((s) => s.size, () => 0).then((size) => {
        if (size < sendBytes && Date.now() - started < 20_000) return;
        clearInterval(watch);
        req.destroy();
        setTimeout(resolve, 100);
      });
    }, 20);
  });
}

async function waitForOffset(world: EvidenceWorld, uploadId: string, atLeast: number): Promise<number> {
  for (let i = 0; i < 100; i += 1) {
    const head = await world.plugin.raw('HEAD', `/v1/evidence/uploads/${uploadId}`);
    const offset = Number(head.headers.get('upload-offset'));
    if (offset >= atLeast && head.status === 200) return offset;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('offset never advanced');
}

describe('resumable evidence upload', () => {
  let world: EvidenceWorld;
  let clip: Buffer;
  let snapshot: Buffer;
  before(async () => {
    world = await startEvidenceWorld();
    clip = await makeClip(world.dir);
    snapshot = await makeSnapshot(world.dir);
  });
  after(() => world.stop());

  test('a clip uploaded in chunks arrives byte-identical, with its SHA-256 re-checked and an audit record', async () => {
    const { evidenceId, response } = await uploadEvidence(world, clip);
    assert.equal(response.status, 204, JSON.stringify(response.body));
    assert.ok(evidenceId?.startsWith('evd_'));
    const item = await world.hub.admin.get<{ sha256: string; bytes: number; incidentId: string; metadata: { pluginVersion: string } }>(`/v1/evidence/items/${evidenceId}`);
    assert.equal(item.sha256, sha256(clip));
    assert.equal(item.incidentId, world.incidentId);
    assert.equal(item.metadata.pluginVersion, '0.1.0');
    const listed = await world.hub.admin.get<{ data: Array<{ id: string; kind: string }> }>(`/v1/evidence/items?incidentId=${world.incidentId}`);
    assert.ok(listed.data.some((i) => i.id === evidenceId && i.kind === 'clip'));
    const link = await world.hub.admin.post<{ url: string }>(`/v1/evidence/items/${evidenceId}/links`, { redacted: false });
    const body = Buffer.from(await (await fetch(`${world.hub.url}${link.url}`)).arrayBuffer());
    assert.ok(body.equals(clip));
    const audit = await world.hub.admin.get<{ data: Array<{ action: string; subjectId: string }> }>('/v1/audit?limit=200');
    assert.ok(audit.data.some((r) => r.action === 'evidence.received' && r.subjectId === evidenceId));
  });

  test('client killed at 50 % mid-chunk: HEAD tells where to resume, and the result is byte-identical', async () => {
    const upload = await world.plugin.post<{ id: string }>('/v1/evidence/uploads', uploadRequest(world, clip));
    const half = Math.floor(clip.length / 2);
    await dropMidChunk(world, upload.id, 0, clip, half);
    const offset = await waitForOffset(world, upload.id, 1);
    assert.equal(offset, half, `resume offset ${offset} of ${clip.length}`);
    const wrong = await patchChunk(world.plugin, upload.id, 0, clip.subarray(0, 100));
    assert.equal(wrong.status, 409);
    assert.equal((wrong.body as { error: { code: string } }).error.code, 'offset_mismatch');
    const done = await patchChunk(world.plugin, upload.id, offset, clip.subarray(offset));
    assert.equal(done.status, 204, JSON.stringify(done.body));
    const evidenceId = done.headers.get('evidence-id');
    const link = await world.hub.admin.post<{ url: string }>(`/v1/evidence/items/${evidenceId}/links`, { disposition: 'attachment', redacted: false });
    const body = Buffer.from(await (await fetch(`${world.hub.url}${link.url}`)).arrayBuffer());
    assert.equal(sha256(body), sha256(clip));
  });

  test('a snapshot and its overlay copy are separate items; the copy points at the untouched original', async () => {
    const original = await uploadEvidence(world, snapshot, { kind: 'snapshot' });
    assert.equal(original.response.status, 204);
    const overlay = await uploadEvidence(world, snapshot, { kind: 'snapshot', originalId: original.evidenceId, metadata: { overlay: true, detections: [] } });
    assert.equal(overlay.response.status, 204);
    const item = await world.hub.admin.get<{ originalId: string }>(`/v1/evidence/items/${overlay.evidenceId}`);
    assert.equal(item.originalId, original.evidenceId);
  });

  test('evidence opened before its event reached the hub is linked to the incident when the upload completes', async () => {
    const event = buildEvent({ cameraId: world.cameraId, storeId: world.storeId, type: 'concealment' });
    const upload = await world.plugin.post<{ id: string }>('/v1/evidence/uploads', uploadRequest(world, snapshot, { kind: 'snapshot', incidentId: undefined, eventId: event.id }));
    assert.equal((await patchChunk(world.plugin, upload.id, 0, snapshot.subarray(0, 100))).status, 204);
    const ingested = await world.plugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events: [event] }, 200);
    const done = await patchChunk(world.plugin, upload.id, 100, snapshot.subarray(100));
    assert.equal(done.status, 204);
    const item = await world.hub.admin.get<{ incidentId: string; eventId: string }>(`/v1/evidence/items/${done.headers.get('evidence-id')}`);
    assert.equal(item.eventId, event.id);
    assert.equal(item.incidentId, ingested.results[0]?.incidentId);
  });

  test('a clip filed with its incident announces itself as evidence.ready to subscribed endpoints', async () => {
    await world.hub.admin.post('/v1/webhooks', { url: 'https://lp.example/hooks', eventTypes: ['evidence.ready'] });
    const event = buildEvent({ cameraId: world.cameraId, storeId: world.storeId, type: 'scan_avoidance' });
    const ingested = await world.plugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events: [event] }, 200);
    const done = await uploadEvidence(world, clip, { incidentId: undefined, eventId: event.id });
    assert.equal(done.response.status, 204);
    const messages = await world.hub.db.knex('webhook_messages').where({ event_type: 'evidence.ready' }).select('subject_id', 'data');
    const mine = messages.find((m: { data: { eventId?: string } }) => m.data.eventId === event.id) as { subject_id: string; data: Record<string, unknown> } | undefined;
    assert.ok(mine, 'one evidence.ready message for the clip');
    assert.equal(mine.data.incidentId, ingested.results[0]?.incidentId);
    assert.equal(mine.data.kind, 'clip');
    assert.equal(mine.data.sha256, sha256(clip));
    assert.equal(mine.subject_id, done.response.headers.get('evidence-id'));
  });

  test('bad uploads are refused with clear codes and leave nothing partial in storage', async () => {
    const before = await storedFiles(world);
    const code = (r: { body: unknown }) => (r.body as { error: { code: string } }).error.code;

    const wrongHash = await uploadEvidence(world, clip, { sha256: sha256(Buffer.from('not the clip')) });
    assert.equal(wrongHash.response.status, 422);
    assert.equal(code(wrongHash.response), 'checksum_mismatch');

    const truncatedBytes = clip.subarray(0, Math.floor(clip.length * 0.6));
    const truncated = await uploadEvidence(world, truncatedBytes);
    assert.equal(truncated.response.status, 422);
    assert.equal(code(truncated.response), 'media_invalid');

    const corruptBytes = Buffer.from(clip);
    corruptBytes.fill(0x41, 40, 2000);
    const corrupt = await uploadEvidence(world, corruptBytes);
    assert.equal(corrupt.response.status, 422);
    assert.equal(code(corrupt.response), 'media_invalid');

    const indexLast = await uploadEvidence(world, await makeClip(world.dir, 'slow-start.mp4', 1, false));
    assert.equal(code(indexLast.response), 'media_invalid');
    assert.match((indexLast.response.body as { error: { message: string } }).error.message, /not faststart/);

    const notJpeg = await uploadEvidence(world, clip, { kind: 'snapshot' });
    assert.equal(code(notJpeg.response), 'media_invalid');

    const big = await world.plugin.post<{ id: string }>('/v1/evidence/uploads', uploadRequest(world, clip));
    const oversized = await patchChunk(world.plugin, big.id, 0, Buffer.concat([clip, Buffer.alloc(10)]));
    assert.equal(oversized.status, 413);
    assert.equal(code(oversized), 'payload_too_large');
    const gap = await patchChunk(world.plugin, big.id, 1000, clip.subarray(1000, 2000));
    assert.equal(gap.status, 409);
    assert.equal(code(gap), 'offset_mismatch');
    assert.deepEqual((gap.body as { error: { details: unknown } }).error.details, { offset: 0 });
    const noType = await world.plugin.raw('PATCH', `/v1/evidence/uploads/${big.id}`, { body: clip, headers: { 'upload-offset': '0' } });
    assert.equal(code(noType), 'unsupported_media_type');

    assert.deepEqual(await storedFiles(world), before, 'refused uploads left files behind');
    const audit = await world.hub.admin.get<{ data: Array<{ action: string; after: { code: string } }> }>('/v1/audit?limit=200');
    const refusals = audit.data.filter((r) => r.action === 'evidence.refused').map((r) => r.after.code).sort();
    assert.deepEqual(refusals, ['checksum_mismatch', 'media_invalid', 'media_invalid', 'media_invalid', 'media_invalid']);
  });

  test("a plugin cannot upload for a camera outside its stores; the declared size is bounded per tenant", async () => {
    const strangerPlugin = world.hub.admin.as(await world.hub.createPluginToken([world.otherStoreId]));
    await strangerPlugin.post('/v1/evidence/uploads', uploadRequest(world, clip), 404);
    const refused = await world.plugin.post<{ error: { code: string } }>('/v1/evidence/uploads', uploadRequest(world, clip, { bytes: 2 ** 40 }), 413);
    assert.equal(refused.error.code, 'payload_too_large');
    await world.plugin.post('/v1/evidence/uploads', uploadRequest(world, clip, { cameraId: 'cam_../../etc' }), 400);
  });
});
