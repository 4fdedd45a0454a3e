import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { keyIdOf, SecretBox, secretBoxFor } from './secret-box.js';

test('sealed values open with the key that sealed them, carry its id, and differ each time', () => {
  const box = new SecretBox(Buffer.alloc(32, 3));
  const a = box.seal('whsec_abc');
  assert.match(a, new RegExp(`^enc:v1:${keyIdOf(Buffer.alloc(32, 3))}:`));
  assert.notEqual(a, box.seal('whsec_abc'), 'a fresh IV per value');
  assert.equal(box.open(a), 'whsec_abc');
  assert.equal(box.open('legacy-plaintext'), 'legacy-plaintext', 'a value from before encryption opens as is');
  const tampered = `${a.slice(0, -2)}${a.endsWith('A') ? 'B' : 'A'}${a.slice(-1)}`;
  assert.throws(() => box.open(tampered), (e: Error & { code?: string }) => e.code === 'internal');
  assert.throws(() => new SecretBox(Buffer.alloc(32, 4)).open(a), /not configured/);
  const rotated = new SecretBox(Buffer.alloc(32, 4), [Buffer.alloc(32, 3)]);
  assert.equal(rotated.open(a), 'whsec_abc', 'a previous key still opens');
  assert.ok(rotated.isCurrent(rotated.reseal(a)) && !rotated.isCurrent(a));
});

test('the embedded default creates <dataDir>/secrets.key with mode 0600 on first start and reuses it', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-keys-'));
  try {
    const box = secretBoxFor({ dataDir, previousSecretsKeys: [] });
    const file = path.join(dataDir, 'secrets.key');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    assert.equal(key.length, 32);
    assert.equal(box.currentKeyId, keyIdOf(key));
    const again = secretBoxFor({ dataDir, secretsKeyFile: file, previousSecretsKeys: [] });
    assert.equal(again.open(box.seal('x')), 'x', 'the same key is read back');
    assert.throws(() => secretBoxFor({ dataDir, secretsKey: 'c2hvcnQ=c2hvcnQ=c2hvcnQ=c2hvcnQ=c2hvcnQ=', previousSecretsKeys: [] }), /32 bytes/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
