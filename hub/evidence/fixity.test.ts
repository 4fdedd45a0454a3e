import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeFixity } from './fixity.js';

const item = { id: 'evd_x', sha256: 'a'.repeat(64), bytes: 10 };

test('fixity names a size change as a size mismatch and a same-size change as a hash mismatch', () => {
  assert.equal(judgeFixity(item, { sha256: 'a'.repeat(64), bytes: 10 }).ok, true);
  const grown = judgeFixity(item, { sha256: 'b'.repeat(64), bytes: 11 });
  assert.deepEqual([grown.ok, grown.problem, grown.message], [false, 'size_mismatch', 'evd_x: size mismatch (acquired 10 bytes, stored 11 bytes)']);
  const flipped = judgeFixity(item, { sha256: 'b'.repeat(64), bytes: 10 });
  assert.deepEqual([flipped.ok, flipped.problem], [false, 'hash_mismatch']);
  assert.match(flipped.message, /SHA-256 mismatch \(acquired a{64}, stored b{64}\)/);
});
