// Append throughput of the outbox with fsync, and reopen (recovery scan) time.
// Run: node --import tsx plugin/outbox/test-support/append-bench.ts [records] [inFlight]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '../../../contracts/index.js';
import { openOutbox } from '../index.js';
import { buildEvent } from './fixtures.js';

const total = Number(process.argv[2] ?? 2000);
const inFlight = Number(process.argv[3] ?? 1);
const dir = await mkdtemp(join(tmpdir(), 'vigil-bench-'));
try {
  const outbox = await openOutbox({ dir, maxBytes: 8 * 1024 ** 3 });
  const cameraId = newId('camera');
  const storeId = newId('store');
  const events = Array.from({ length: total }, (_, n) => buildEvent({ cameraId, storeId, n }));
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < total) await outbox.appendEvent(events[next++]!);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const bytes = outbox.bytesOnDisk();
  await outbox.close();
  const reopenStart = process.hrtime.bigint();
  const reopened = await openOutbox({ dir, maxBytes: 8 * 1024 ** 3 });
  const reopenMs = Number(process.hrtime.bigint() - reopenStart) / 1e6;
  const pending = reopened.stats().pending;
  await reopened.close();
  console.log(
    JSON.stringify({
      records: total,
      inFlight,
      appendsPerSecond: Math.round(total / seconds),
      meanLatencyMs: +((seconds * 1000 * inFlight) / total).toFixed(2),
      bytesPerRecord: Math.round(bytes / total),
      reopenMs: Math.round(reopenMs),
      pendingAfterReopen: pending,
    }),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
