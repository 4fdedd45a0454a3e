import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { evidenceStoreContract } from '../evidence-store-contract.js';
import { S3EvidenceStore } from './s3-evidence-store.js';
import { startS3Server } from './s3-test-server.js';

// A real S3-compatible HTTP server (s3rver, from npm) on 127.0.0.1: no MinIO or Ceph gateway can be
// installed here (Debian has only client libraries), so Object Lock itself cannot be exercised.
async function openStore() {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-s3-'));
  const server = await startS3Server(dir, 'evidence');
  const store = new S3EvidenceStore({ bucket: 'evidence', endpoint: server.endpoint, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', prefix: 'vigil/' });
  return {
    store,
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

evidenceStoreContract('s3', openStore);

test('s3: a bucket without Object Lock reports legal hold as unsupported (the database guards it)', async () => {
  const { store, close } = await openStore();
  try {
    await store.put('items/ten_a/evd_held.jpg', (async function* () { yield Buffer.from('jpeg'); })(), { bytes: 4 });
    assert.equal(await store.setLegalHold('items/ten_a/evd_held.jpg', true), 'unsupported');
  } finally {
    await close();
  }
});
