import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, truncate, appendFile, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { StreamLog } from './stream-log.js';

const OPTIONS = { maxBodyBytes: 64 * 1024, segmentBytes: 64 * 1024 };

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-log-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function segmentFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.seg')).sort();
}

test('appended records survive a reopen and acknowledged ones are not read again', async (t) => {
  const dir = await tempDir(t);
  const log = await StreamLog.open(dir, OPTIONS);
  for (let i = 1; i <= 10; i += 1) assert.equal(await log.append(JSON.stringify({ n: i }), 1000 + i), i);
  const firstFour = await log.readPending(4);
  assert.deepEqual(firstFour.map((r) => r.seq), [1, 2, 3, 4]);
  await log.ack(firstFour.at(-1)!);
  assert.equal(log.pendingCount, 6);
  assert.equal(log.oldestPendingAt, 1005);
  await log.close();

  const reopened = await StreamLog.open(dir, OPTIONS);
  assert.equal(reopened.ackedSeq, 4);
  assert.equal(reopened.pendingCount, 6);
  assert.equal(reopened.oldestPendingAt, 1005);
  const rest = await reopened.readPending(100);
  assert.deepEqual(rest.map((r) => JSON.parse(r.json).n), [5, 6, 7, 8, 9, 10]);
  assert.equal(await reopened.append('{"n":11}', 2000), 11);
  assert.deepEqual(reopened.issues, []);
  await reopened.close();
});

test('a torn final record is detected by length/CRC, truncated, and the intact prefix survives', async (t) => {
  const dir = await tempDir(t);
  const log = await StreamLog.open(dir, OPTIONS);
  for (let i = 1; i <= 5; i += 1) await log.append(JSON.stringify({ n: i, pad: 'x'.repeat(50) }), i);
  await log.close();
  const [segment] = await segmentFiles(dir);
  const path = join(dir, segment!);
  const full = (await stat(path)).size;
  await truncate(path, full - 7); // cut the fifth record mid-body, as a crash mid-write would

  const reopened = await StreamLog.open(dir, OPTIONS);
  assert.equal(reopened.pendingCount, 4);
  assert.equal(reopened.issues.length, 1);
  assert.equal(reopened.issues[0]!.kind, 'torn_tail');
  assert.deepEqual((await reopened.readPending(10)).map((r) => JSON.parse(r.json).n), [1, 2, 3, 4]);
  // The torn record was never acknowledged as durable, so its sequence number is reused.
  assert.equal(await reopened.append('{"n":"again"}', 9), 5);
  await reopened.close();

  // Zero-filled tail (what some file systems show after a power cut) and a bad CRC are cut off too.
  await appendFile(path, Buffer.alloc(40));
  const third = await StreamLog.open(dir, OPTIONS);
  assert.equal(third.pendingCount, 5);
  assert.equal(third.issues[0]?.kind, 'torn_tail');
  await third.append('{"n":6}', 10);
  await third.close();
  const bytes = await readFile(path);
  bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 0xff; // flip a payload byte of the last record
  await writeFile(path, bytes);
  const fourth = await StreamLog.open(dir, OPTIONS);
  assert.equal(fourth.pendingCount, 5);
  assert.match(fourth.issues[0]?.detail ?? '', /bad_crc/);
  await fourth.close();
});

test('fully acknowledged segments are deleted and sequence numbers continue after a reopen', async (t) => {
  const dir = await tempDir(t);
  const log = await StreamLog.open(dir, { maxBodyBytes: 1024, segmentBytes: 300 });
  for (let i = 1; i <= 30; i += 1) await log.append(JSON.stringify({ n: i, pad: 'y'.repeat(40) }), i);
  const before = await segmentFiles(dir);
  assert.ok(before.length >= 5, `expected several segments, got ${before.length}`);
  const records = await log.readPending(100);
  assert.equal(records.length, 30);
  await log.ack(records[24]!);
  const after = await segmentFiles(dir);
  assert.ok(after.length < before.length, 'acknowledged segments were deleted');
  assert.equal(log.pendingCount, 5);
  await log.ack(records[29]!);
  assert.ok(log.reclaimableBytes > 0);
  await log.compact({ includeActive: true });
  assert.equal(log.bytesOnDisk, 0);
  await log.close();

  const reopened = await StreamLog.open(dir, { maxBodyBytes: 1024, segmentBytes: 300 });
  assert.equal(reopened.pendingCount, 0);
  assert.equal(await reopened.append('{"n":31}', 31), 31);
  await reopened.close();
});

test('damage inside an older segment is quarantined and later segments stay readable', async (t) => {
  const dir = await tempDir(t);
  const log = await StreamLog.open(dir, { maxBodyBytes: 1024, segmentBytes: 200 });
  for (let i = 1; i <= 12; i += 1) await log.append(JSON.stringify({ n: i, pad: 'z'.repeat(40) }), i);
  await log.close();
  const [first] = await segmentFiles(dir);
  const path = join(dir, first!);
  const bytes = await readFile(path);
  bytes[bytes.length - 2] = bytes[bytes.length - 2]! ^ 0x01;
  await writeFile(path, bytes);

  const reopened = await StreamLog.open(dir, { maxBodyBytes: 1024, segmentBytes: 200 });
  assert.equal(reopened.issues[0]?.kind, 'corrupt_segment');
  assert.ok((await readdir(dir)).some((name) => name.endsWith('.corrupt')));
  const seqs = (await reopened.readPending(100)).map((r) => r.seq);
  assert.equal(seqs.at(-1), 12);
  assert.equal(seqs.length, 11, 'only the damaged record is missing');
  await reopened.close();
});

test('concurrent appends are group-committed and keep their call order', async (t) => {
  const dir = await tempDir(t);
  const log = await StreamLog.open(dir, OPTIONS);
  const seqs = await Promise.all(Array.from({ length: 200 }, (_, i) => log.append(JSON.stringify({ i }), i)));
  assert.deepEqual(seqs, Array.from({ length: 200 }, (_, i) => i + 1));
  const records = await log.readPending(500);
  assert.deepEqual(records.map((r) => JSON.parse(r.json).i), Array.from({ length: 200 }, (_, i) => i));
  await log.close();
});

test('a cursor ahead of the stored records (records lost to damage) starts a new segment, never a gap inside one', async (t) => {
  const dir = await tempDir(t);
  const log = await StreamLog.open(dir, OPTIONS);
  for (let i = 1; i <= 5; i += 1) await log.append(JSON.stringify({ n: i }), i);
  await log.close();
  await writeFile(join(dir, 'cursor.json'), JSON.stringify({ ackedSeq: 50 }));
  const reopened = await StreamLog.open(dir, OPTIONS);
  assert.equal(reopened.pendingCount, 0);
  assert.equal(await reopened.append('{"n":51}', 51), 51);
  await reopened.close();
  const again = await StreamLog.open(dir, OPTIONS);
  assert.deepEqual(again.issues, []);
  assert.deepEqual((await again.readPending(10)).map((r) => r.seq), [51]);
  await again.close();
});

test('records larger than the read-ahead and batches spanning segments are read whole and in order', async (t) => {
  const dir = await tempDir(t);
  const options = { maxBodyBytes: 512 * 1024, segmentBytes: 300 * 1024 };
  const log = await StreamLog.open(dir, options);
  const big = 'b'.repeat(200 * 1024);
  for (let i = 1; i <= 6; i += 1) await log.append(JSON.stringify({ n: i, body: i % 2 === 0 ? big : 'small' }), i);
  assert.ok((await segmentFiles(dir)).length >= 2);
  const records = await log.readPending(100);
  assert.deepEqual(records.map((r) => JSON.parse(r.json).n), [1, 2, 3, 4, 5, 6]);
  assert.equal(JSON.parse(records[1]!.json).body.length, big.length);
  await log.close();
});
