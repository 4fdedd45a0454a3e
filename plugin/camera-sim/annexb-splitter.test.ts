import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AnnexBSplitter, nalType, type AccessUnit } from './annexb-splitter.js';

const aud = [0x09, 0xf0];
const sps = [0x67, 0x42, 0xc0, 0x1e, 0x00];
const pps = [0x68, 0xce, 0x3c, 0x80];
const idr = [0x65, 0x88, 0x84, 0x00, 0x21];
const slice = [0x41, 0x9a, 0x02];

test('splits 3- and 4-byte start codes into NAL units grouped by access unit delimiters', () => {
  const units: AccessUnit[] = [];
  const splitter = new AnnexBSplitter((au) => units.push(au));
  const stream = Buffer.from([0, 0, 0, 1, ...aud, 0, 0, 0, 1, ...sps, 0, 0, 1, ...pps, 0, 0, 1, ...idr, 0, 0, 0, 1, ...aud, 0, 0, 1, ...slice, 0, 0, 0, 1, ...aud, 0, 0, 1]);
  // Feed byte by byte: start codes split across chunks must still be found.
  for (const byte of stream) splitter.push(Buffer.from([byte]));
  assert.equal(units.length, 2);
  assert.deepEqual(units[0]?.nals.map(nalType), [7, 8, 5]);
  assert.equal(units[0]?.isKeyframe, true);
  // The trailing 0x00 of the IDR before a 4-byte start code belongs to the start code, not the NAL.
  assert.deepEqual([...(units[0]?.nals[2] ?? [])], idr);
  assert.deepEqual(units[1]?.nals.map(nalType), [1]);
  assert.equal(units[1]?.isKeyframe, false);
});

test('a stream without start codes is dropped instead of growing memory', () => {
  const units: AccessUnit[] = [];
  const splitter = new AnnexBSplitter((au) => units.push(au), 1024);
  for (let i = 0; i < 10; i++) splitter.push(Buffer.alloc(512, 0xab));
  splitter.flush();
  assert.equal(units.length, 0);
});
