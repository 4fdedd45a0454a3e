import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { evidenceStoreContract } from '../evidence-store-contract.js';
import { FsEvidenceStore } from './fs-evidence-store.js';

async function openStore() {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-fs-store-'));
  return { store: new FsEvidenceStore(dir), dir, close: () => rm(dir, { recursive: true, force: true }) };
}

evidenceStoreContract('filesystem', openStore);

test('filesystem: an object under legal hold cannot be deleted until released', async () => {
  const { store, close } = await openStore();
  try {
    await store.put('items/ten_a/evd_held.jpg', (async function* () { yield Buffer.from('jpeg'); })());
    assert.equal(await store.setLegalHold('items/ten_a/evd_held.jpg', true), 'applied');
    await assert.rejects(store.delete('items/ten_a/evd_held.jpg'), { code: 'legal_hold' });
    assert.deepEqual(await store.stat('items/ten_a/evd_held.jpg'), { bytes: 4 });
    await store.setLegalHold('items/ten_a/evd_held.jpg', false);
    await store.delete('items/ten_a/evd_held.jpg');
    assert.equal(await store.stat('items/ten_a/evd_held.jpg'), null);
  } finally {
    await close();
  }
});
