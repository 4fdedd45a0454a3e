import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { AppError, type EvidenceStore } from '../../contracts/index.js';

async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

async function* once(buffer: Buffer): AsyncGenerator<Uint8Array> {
  yield buffer;
}

/** Stops after `count` bytes and then fails, like a request whose client went away. */
async function* dropsAfter(buffer: Buffer, count: number): AsyncGenerator<Uint8Array> {
  yield buffer.subarray(0, count);
  throw new AppError('unavailable', 'client went away');
}

const sha = (buffer: Buffer): string => createHash('sha256').update(buffer).digest('hex');

/**
 * The behaviour every EvidenceStore must have, run against each backend (filesystem, S3) with the same
 * assertions, the way Svix runs one suite against each queue backend.
 */
export function evidenceStoreContract(name: string, open: () => Promise<{ store: EvidenceStore; close(): Promise<void> }>): void {
  test(`${name}: put, stat, get whole and by range, delete`, async () => {
    const { store, close } = await open();
    try {
      const bytes = randomBytes(300_000);
      const stored = await store.put('items/ten_a/evd_one.mp4', once(bytes), { contentType: 'video/mp4', bytes: bytes.length });
      assert.deepEqual(stored, { key: 'items/ten_a/evd_one.mp4', bytes: bytes.length, sha256: sha(bytes) });
      assert.deepEqual(await store.stat('items/ten_a/evd_one.mp4'), { bytes: bytes.length });
      assert.ok((await collect(await store.get('items/ten_a/evd_one.mp4'))).equals(bytes));
      assert.ok((await collect(await store.get('items/ten_a/evd_one.mp4', { start: 1000, end: 1999 }))).equals(bytes.subarray(1000, 2000)));
      await store.delete('items/ten_a/evd_one.mp4');
      assert.equal(await store.stat('items/ten_a/evd_one.mp4'), null);
      await assert.rejects(store.get('items/ten_a/evd_one.mp4'), { code: 'not_found' });
      await store.delete('items/ten_a/evd_one.mp4');
    } finally {
      await close();
    }
  });

  test(`${name}: put of unknown length streams in parts and hashes the whole`, async () => {
    const { store, close } = await open();
    try {
      const bytes = randomBytes(9 * 1024 * 1024 + 17);
      async function* pieces(): AsyncGenerator<Uint8Array> {
        for (let i = 0; i < bytes.length; i += 1 << 20) yield bytes.subarray(i, i + (1 << 20));
      }
      const stored = await store.put('exports/ten_a/exp_big.zip', pieces());
      assert.equal(stored.sha256, sha(bytes));
      assert.equal((await store.stat('exports/ten_a/exp_big.zip'))?.bytes, bytes.length);
    } finally {
      await close();
    }
  });

  test(`${name}: staged appends resume after a dropped chunk and commit byte-identical`, async () => {
    const { store, close } = await open();
    try {
      const bytes = randomBytes(200_000);
      assert.equal(await store.append('uploads/upl_a', 0, once(bytes.subarray(0, 80_000)), { bytes: 80_000 }), 80_000);
      await assert.rejects(store.append('uploads/upl_a', 80_000, dropsAfter(bytes.subarray(80_000, 160_000), 10_000), { bytes: 80_000 }));
      const resumeAt = await store.stagedBytes('uploads/upl_a');
      assert.ok(resumeAt >= 80_000 && resumeAt <= 90_000, `resume offset ${resumeAt}`);
      await assert.rejects(store.append('uploads/upl_a', resumeAt + 5, once(bytes.subarray(0, 5)), { bytes: 5 }), { code: 'offset_mismatch' });
      const rest = bytes.subarray(resumeAt);
      assert.equal(await store.append('uploads/upl_a', resumeAt, once(rest), { bytes: rest.length }), bytes.length);
      const stored = await store.commitStaged('uploads/upl_a', 'items/ten_a/evd_two.mp4', { contentType: 'video/mp4' });
      assert.equal(stored.sha256, sha(bytes));
      assert.ok((await collect(await store.get('items/ten_a/evd_two.mp4'))).equals(bytes));
      assert.equal(await store.stagedBytes('uploads/upl_a'), 0);
    } finally {
      await close();
    }
  });

  test(`${name}: a discarded upload leaves nothing staged`, async () => {
    const { store, close } = await open();
    try {
      await store.append('uploads/upl_b', 0, once(Buffer.alloc(1000, 1)), { bytes: 1000 });
      await store.discardStaged('uploads/upl_b');
      assert.equal(await store.stagedBytes('uploads/upl_b'), 0);
    } finally {
      await close();
    }
  });

  test(`${name}: keys that could escape the store are refused`, async () => {
    const { store, close } = await open();
    try {
      for (const key of ['../etc/passwd', 'items/../../x', '/abs', 'items//x', 'Items/X', 'items/x\u0000']) {
        await assert.rejects(store.put(key, once(Buffer.from('x')), { bytes: 1 }), { code: 'bad_request' }, key);
        await assert.rejects(store.get(key), { code: 'bad_request' }, key);
      }
    } finally {
      await close();
    }
  });
}
