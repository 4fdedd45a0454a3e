import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RtpPacketizer } from './rtp-packetizer.js';

/** Reassembles FU-A / single NAL packets the way a receiver does (RFC 6184 section 5.8). */
function depacketize(packets: Buffer[]): Buffer[] {
  const nals: Buffer[] = [];
  let fragments: Buffer[] = [];
  for (const p of packets) {
    const payload = p.subarray(12);
    const type = (payload[0] ?? 0) & 0x1f;
    if (type !== 28) {
      nals.push(payload);
      continue;
    }
    const fu = payload[1] ?? 0;
    if (fu & 0x80) fragments = [Buffer.from([((payload[0] ?? 0) & 0xe0) | (fu & 0x1f)])];
    fragments.push(payload.subarray(2));
    if (fu & 0x40) nals.push(Buffer.concat(fragments));
  }
  return nals;
}

test('large NAL units are fragmented as FU-A and reassemble byte-exactly; marker only on the last packet', () => {
  const big = Buffer.concat([Buffer.from([0x65]), Buffer.alloc(5000, 7)]);
  const small = Buffer.from([0x41, 1, 2, 3]);
  const packetizer = new RtpPacketizer(96, 1400);
  const first = packetizer.nextSequence;
  const packets = packetizer.packetize({ nals: [Buffer.from([0x09, 0xf0]), small, big], isKeyframe: true, wallMs: 1_700_000_000_000 });
  assert.equal(packets.length, 1 + Math.ceil((big.length - 1) / 1398));
  assert.deepEqual(depacketize(packets), [small, big]);
  packets.forEach((p, i) => {
    assert.equal(p[0], 0x80);
    assert.equal((p[1] ?? 0) & 0x7f, 96);
    assert.equal(Boolean((p[1] ?? 0) & 0x80), i === packets.length - 1);
    assert.equal(p.readUInt16BE(2), (first + i) & 0xffff);
    assert.equal(p.readUInt32BE(4), packetizer.timestampFor(1_700_000_000_000));
  });
});

test('RTP timestamps advance at 90 kHz of wall-clock time', () => {
  const packetizer = new RtpPacketizer();
  const a = packetizer.timestampFor(1_700_000_000_000);
  const b = packetizer.timestampFor(1_700_000_000_200);
  assert.equal((b - a + 2 ** 32) % 2 ** 32, 18_000);
});

test('SPS/PPS are put in front of a keyframe that lacks them', () => {
  const packetizer = new RtpPacketizer();
  const sets = { sps: Buffer.from([0x67, 1, 2]), pps: Buffer.from([0x68, 3]) };
  const packets = packetizer.packetize({ nals: [Buffer.from([0x65, 9, 9])], isKeyframe: true, wallMs: 1 }, sets);
  assert.deepEqual(depacketize(packets).map((n) => (n[0] ?? 0) & 0x1f), [7, 8, 5]);
});
