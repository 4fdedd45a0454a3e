import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startS3Server, type S3TestServer } from '../../adapters/storage/s3/s3-test-server.js';
import { makeClip, patchChunk, sha256, startEvidenceWorld, uploadRequest, type EvidenceWorld } from './support.js';

// The hub with its evidence in S3-compatible storage: s3rver (npm) on 127.0.0.1 stands in for MinIO, which
// cannot be installed here. The hub's evidence section names the bucket.
describe('hub on the S3 backend', () => {
  let world: EvidenceWorld;
  let s3: S3TestServer;
  let s3Dir: string;
  let port: number;
  before(async () => {
    s3Dir = await mkdtemp(join(tmpdir(), 'vigil-s3-hub-'));
    s3 = await startS3Server(s3Dir, 'evidence');
    port = Number(new URL(s3.endpoint).port);
    world = await startEvidenceWorld({
      evidence: { backend: 's3', s3: { bucket: 'evidence', endpoint: s3.endpoint, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } },
    });
  });
  after(async () => {
    await world.stop();
    await s3.close();
    await rm(s3Dir, { recursive: true, force: true });
  });

  test('storage down mid-upload: the chunk is refused as unavailable, nothing is lost, and the upload resumes when it is back', async () => {
    const clip = await makeClip(world.dir);
    const upload = await world.plugin.post<{ id: string }>('/v1/evidence/uploads', uploadRequest(world, clip));
    const half = Math.floor(clip.length / 2);
    assert.equal((await patchChunk(world.plugin, upload.id, 0, clip.subarray(0, half))).status, 204);
    await s3.close();
    const down = await patchChunk(world.plugin, upload.id, half, clip.subarray(half));
    assert.equal(down.status, 503, JSON.stringify(down.body));
    assert.equal((down.body as { error: { code: string } }).error.code, 'unavailable');
    s3 = await startS3Server(s3Dir, 'evidence', port);
    const head = await world.plugin.raw('HEAD', `/v1/evidence/uploads/${upload.id}`);
    assert.equal(Number(head.headers.get('upload-offset')), half);
    const done = await patchChunk(world.plugin, upload.id, half, clip.subarray(half));
    assert.equal(done.status, 204, JSON.stringify(done.body));
    const evidenceId = done.headers.get('evidence-id');
    const link = await world.hub.admin.post<{ url: string }>(`/v1/evidence/items/${evidenceId}/links`, { redacted: false });
    const part = await fetch(`${world.hub.url}${link.url}`, { headers: { range: 'bytes=100-199' } });
    assert.equal(part.status, 206);
    assert.ok(Buffer.from(await part.arrayBuffer()).equals(clip.subarray(100, 200)));
    const whole = Buffer.from(await (await fetch(`${world.hub.url}${link.url}`)).arrayBuffer());
    assert.equal(sha256(whole), sha256(clip));
  });

  test('a legal hold on a bucket without Object Lock is recorded as guarded by the database only', async () => {
    const hold = await world.hub.admin.post<{ id: string }>('/v1/evidence/holds', { targetType: 'incident', targetId: world.incidentId, reason: 'case 42' });
    const audit = await world.hub.admin.get<{ data: Array<{ action: string; after: { holdId: string; storage: Record<string, string> } }> }>('/v1/audit?limit=200');
    const placed = audit.data.find((r) => r.action === 'evidence.hold_placed' && r.after.holdId === hold.id);
    assert.ok(placed && Object.values(placed.after.storage).every((v) => v === 'unsupported'), JSON.stringify(placed));
  });
});
