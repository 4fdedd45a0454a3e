import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { inspectJpeg } from '../../hub/evidence/media-jpeg.js';
import { inspectMp4 } from '../../hub/evidence/media-mp4.js';
import { makeClip, makeSnapshot } from './support.js';

const printable = (text: string): boolean => [...text].every((c) => c >= ' ' && c <= '~');

const reader = (bytes: Buffer) => (start: number, end: number) => Promise.resolve(bytes.subarray(start, end + 1));
const mp4 = (bytes: Buffer) => inspectMp4(reader(bytes), bytes.length);
const refused = (pattern: RegExp) => ({ code: 'media_invalid', message: pattern });

describe('media checks walk the structure (no ffprobe)', () => {
  let dir: string;
  let clip: Buffer;
  let jpeg: Buffer;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-media-'));
    clip = await makeClip(dir, 'clip.mp4', 1);
    jpeg = await makeSnapshot(dir);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('a real JPEG walks from SOI through its segments and scan to EOI', () => {
    assert.deepEqual(inspectJpeg(jpeg), { width: 320, height: 180, components: 3, progressive: false, scans: 1 });
  });

  test('SOI + random + EOI, trailing bytes, a missing EOI and undecodable frame types are refused', () => {
    const random = Buffer.concat([Buffer.from([0xff, 0xd8]), randomBytes(2000), Buffer.from([0xff, 0xd9])]);
    random[2] = 0x00;
    assert.throws(() => inspectJpeg(random), refused(/expected a marker at byte 2/));
    assert.throws(() => inspectJpeg(Buffer.concat([jpeg, Buffer.from('junk')])), refused(/bytes after the EOI marker/));
    assert.throws(() => inspectJpeg(jpeg.subarray(0, jpeg.length - 2)), refused(/no EOI marker \(truncated\)/));
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    const arithmetic = Buffer.from(jpeg);
    arithmetic[sof + 1] = 0xc9;
    assert.throws(() => inspectJpeg(arithmetic), refused(/cannot be decoded for redaction/));
    const zero = Buffer.from(jpeg);
    zero.writeUInt16BE(0, sof + 5);
    assert.throws(() => inspectJpeg(zero), refused(/frame size is zero/));
    assert.throws(() => inspectJpeg(Buffer.from([0xff, 0xd8, 0xff, 0xd9])), refused(/no image data/));
  });

  test('a real MP4 is read from its index: codec, frames, size, duration', async () => {
    const facts = await mp4(clip);
    assert.equal(facts.codec, 'h264');
    assert.equal(facts.packets, 15);
    assert.deepEqual([facts.width, facts.height], [320, 180]);
    assert.ok(facts.durationSeconds !== null && Math.abs(facts.durationSeconds - 1) < 0.1);
  });

  test('a JPEG, a truncated clip, a corrupt index and garbage media data are refused with printable reasons', async () => {
    await assert.rejects(mp4(jpeg), refused(/starts with \\x00\\x10JF, not an ftyp box/));
    await assert.rejects(mp4(clip.subarray(0, Math.floor(clip.length * 0.6))), refused(/truncated/));
    const moovAt = clip.indexOf('moov') - 4;
    const corrupt = Buffer.from(clip);
    corrupt.fill(0x00, moovAt + 16, moovAt + clip.readUInt32BE(moovAt) - 8);
    await assert.rejects(mp4(corrupt), refused(/corrupt index|no \S+ box|too short|no video track/));
    const mdatAt = clip.indexOf('mdat', moovAt) - 4;
    const garbage = Buffer.from(clip);
    randomBytes(clip.length - mdatAt - 8).copy(garbage, mdatAt + 8);
    await assert.rejects(mp4(garbage), refused(/H\.264/));
    for (const message of await Promise.all([mp4(jpeg), mp4(corrupt)].map((p) => p.then(() => '', (e: Error) => e.message)))) {
      assert.ok(printable(message), 'no raw binary in a refusal');
    }
  });
});
