import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { makeClip, makeSnapshot, startEvidenceWorld, storedFiles, uploadEvidence, type EvidenceWorld } from '../evidence/support.js';

const printable = (text: string): boolean => [...text].every((c) => c >= ' ' && c <= '~');

/**
 * Hostile bytes as evidence: whatever arrives, the answer is a 4xx with a stable code and a printable message
 * (no raw bytes, no server path), the upload ends refused (never open at its full offset), and nothing is
 * left in storage.
 */
describe('bad media bytes', () => {
  let world: EvidenceWorld;
  let cases: Array<{ name: string; kind: 'clip' | 'snapshot'; bytes: Buffer }>;
  before(async () => {
    world = await startEvidenceWorld();
    const clip = await makeClip(world.dir, 'clip.mp4', 1);
    const jpeg = await makeSnapshot(world.dir);
    const ftypJunk = Buffer.concat([clip.subarray(0, clip.readUInt32BE(0)), randomBytes(3000)]);
    const hugeBox = Buffer.from(clip);
    hugeBox.writeUInt32BE(0xffffffff, clip.readUInt32BE(0));
    const wideBox = Buffer.concat([clip.subarray(0, clip.readUInt32BE(0)), Buffer.from([0, 0, 0, 1]), Buffer.from('moov'), Buffer.from('ffffffffffffffff', 'hex'), randomBytes(64)]);
    const sofAt = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    const badSegment = Buffer.from(jpeg);
    badSegment.writeUInt16BE(0xfff0, sofAt + 2);
    cases = [
      { name: 'a JPEG as a clip', kind: 'clip', bytes: jpeg },
      { name: 'an MP4 as a snapshot', kind: 'snapshot', bytes: clip },
      { name: 'NUL bytes as a clip', kind: 'clip', bytes: Buffer.alloc(4096) },
      { name: 'NUL bytes as a snapshot', kind: 'snapshot', bytes: Buffer.alloc(4096) },
      { name: 'random bytes as a clip', kind: 'clip', bytes: randomBytes(5000) },
      { name: 'one byte as a clip', kind: 'clip', bytes: Buffer.from([0]) },
      { name: 'a PNG as a snapshot', kind: 'snapshot', bytes: Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(200)]) },
      { name: 'SOI + random + EOI', kind: 'snapshot', bytes: Buffer.concat([Buffer.from([0xff, 0xd8, 0x13]), randomBytes(3000), Buffer.from([0xff, 0xd9])]) },
      { name: 'ftyp then junk', kind: 'clip', bytes: ftypJunk },
      { name: 'a box claiming 4 GB', kind: 'clip', bytes: hugeBox },
      { name: 'a 64-bit box size past the end', kind: 'clip', bytes: wideBox },
      { name: 'a JPEG segment length past the end', kind: 'snapshot', bytes: badSegment },
    ];
  });
  after(() => world.stop());

  test('every case is a 422 media_invalid with a printable message, a refused upload and nothing stored', async () => {
    const stored = await storedFiles(world);
    for (const c of cases) {
      const sent = await uploadEvidence(world, c.bytes, { kind: c.kind });
      assert.equal(sent.response.status, 422, `${c.name}: ${JSON.stringify(sent.response.body)}`);
      const { error } = sent.response.body as { error: { code: string; message: string } };
      assert.equal(error.code, 'media_invalid', c.name);
      assert.ok(printable(error.message), `${c.name}: raw bytes in the message`);
      assert.ok(!error.message.includes(world.dir) && !/\/(tmp|work|home|var)\//.test(error.message), `${c.name}: a server path in the message`);
      const upload = await world.plugin.get<{ state: string; refusal: string }>(`/v1/evidence/uploads/${sent.uploadId}`);
      assert.deepEqual([upload.state, upload.refusal], ['refused', 'media_invalid'], c.name);
    }
    assert.deepEqual(await storedFiles(world), stored);
    await world.hub.admin.get('/v1/audit?limit=1');
  });
});
