import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { makeClip, makeSnapshot, patchChunk, startEvidenceWorld, storedFiles, uploadEvidence, type EvidenceWorld } from './support.js';

const printable = (text: string): boolean => [...text].every((c) => c >= ' ' && c <= '~');

interface ErrorBody {
  error: { code: string; message: string };
}

describe('media checks at upload: clear 4xx refusals, printable records, no stuck upload', () => {
  let world: EvidenceWorld;
  let clip: Buffer;
  let snapshot: Buffer;
  before(async () => {
    world = await startEvidenceWorld();
    clip = await makeClip(world.dir, 'clip.mp4', 1);
    snapshot = await makeSnapshot(world.dir);
  });
  after(() => world.stop());

  const refusedRecords = async () => (await world.hub.admin.get<{ data: Array<{ subjectId: string; after: { uploadId: string; code: string; reason: string } }> }>('/v1/audit?limit=200&action=evidence.refused')).data;

  test('a JPEG uploaded as a clip gets a 422 with a printable reason, and its upload is closed, not stuck', async () => {
    const before = await storedFiles(world);
    const sent = await uploadEvidence(world, snapshot, { kind: 'clip' });
    assert.equal(sent.response.status, 422, JSON.stringify(sent.response.body));
    const { error } = sent.response.body as ErrorBody;
    assert.equal(error.code, 'media_invalid');
    assert.match(error.message, /not an MP4/);
    assert.match(error.message, /\\x00\\x10JF/, 'the box type is escaped');
    assert.ok(printable(error.message));
    assert.doesNotMatch(error.message, new RegExp(world.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'no server path in the message');

    const upload = await world.plugin.get<{ state: string; refusal: string; offset: number }>(`/v1/evidence/uploads/${sent.uploadId}`);
    assert.equal(upload.state, 'refused');
    assert.equal(upload.refusal, 'media_invalid');
    const again = await patchChunk(world.plugin, sent.uploadId, upload.offset, Buffer.alloc(0));
    assert.equal(again.status, 409, 'a refused upload answers with its state, it does not hang open');
    assert.equal((again.body as ErrorBody).error.code, 'conflict');
    assert.deepEqual(await storedFiles(world), before, 'nothing left in storage');

    const record = (await refusedRecords()).find((r) => r.after.uploadId === sent.uploadId);
    assert.ok(record, 'the refusal is audited');
    assert.equal(record.after.code, 'media_invalid');
    assert.ok(printable(record.after.reason));

    const resent = await uploadEvidence(world, snapshot, { kind: 'snapshot' });
    assert.equal(resent.response.status, 204, 'the same bytes as what they are go through');
  });

  test('SOI + random bytes + EOI is not a snapshot', async () => {
    const fake = Buffer.concat([Buffer.from([0xff, 0xd8]), randomBytes(4000), Buffer.from([0xff, 0xd9])]);
    fake[2] = 0x5a;
    const sent = await uploadEvidence(world, fake, { kind: 'snapshot' });
    assert.equal(sent.response.status, 422);
    assert.equal((sent.response.body as ErrorBody).error.code, 'media_invalid');
    assert.match((sent.response.body as ErrorBody).error.message, /expected a marker/);
  });

  test('a JPEG with no scan and a clip without its index are refused; a real clip passes', async () => {
    const noScan = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);
    assert.equal((await uploadEvidence(world, noScan, { kind: 'snapshot' })).response.status, 422);
    const moov = clip.indexOf('moov');
    const headless = Buffer.concat([clip.subarray(0, moov - 4), clip.subarray(moov - 4 + clip.readUInt32BE(moov - 4))]);
    const sent = await uploadEvidence(world, headless);
    assert.equal(sent.response.status, 422);
    assert.match((sent.response.body as ErrorBody).error.message, /no moov box/);
    assert.equal((await uploadEvidence(world, clip)).response.status, 204);
  });
});
