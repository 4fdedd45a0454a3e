import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRange } from './range.js';

test('byte ranges: open, closed, suffix, clamped; bad ones are 416 or ignored', () => {
  assert.deepEqual(parseRange('bytes=0-99', 1000), { start: 0, end: 99 });
  assert.deepEqual(parseRange('bytes=900-', 1000), { start: 900, end: 999 });
  assert.deepEqual(parseRange('bytes=-100', 1000), { start: 900, end: 999 });
  assert.deepEqual(parseRange('bytes=990-5000', 1000), { start: 990, end: 999 });
  assert.equal(parseRange(undefined, 1000), null);
  assert.equal(parseRange('bytes=0-1,5-6', 1000), null);
  assert.throws(() => parseRange('bytes=1000-', 1000), { status: 416 });
  assert.throws(() => parseRange('bytes=5-1', 1000), { status: 416 });
});
