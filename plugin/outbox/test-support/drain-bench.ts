// Drain rate of a queued backlog into the real hub (PGlite, in process) through HubClient/EventSender.
// Run: node --import tsx plugin/outbox/test-support/drain-bench.ts [events] [cameras]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Id } from '../../../contracts/index.js';
import { startTestHub } from '../../../test/support/hub.js';
import { HubClient } from '../../hub-client/index.js';
import { EventSender, openOutbox } from '../index.js';
import { buildEvent, waitFor } from './fixtures.js';

const total = Number(process.argv[2] ?? 3000);
const cameraCount = Number(process.argv[3] ?? 3);
const dir = await mkdtemp(join(tmpdir(), 'vigil-drain-'));
const hub = await startTestHub();
try {
  const store = await hub.createStore();
  const cameras = await Promise.all(Array.from({ length: cameraCount }, () => hub.createCamera(store.id)));
  const token = await hub.createPluginToken([store.id]);
  const queued = await openOutbox({ dir });
  await Promise.all(
    Array.from({ length: total }, (_, n) => queued.appendEvent(buildEvent({ cameraId: cameras[n % cameraCount]!.id as Id<'camera'>, storeId: store.id as Id<'store'>, n }))),
  );
  await queued.close();
  const started = Date.now();
  const outbox = await openOutbox({ dir, senders: { event: new EventSender(new HubClient({ baseUrl: hub.url, token })) } });
  await waitFor('drained', () => outbox.stats().pending === 0, 600_000);
  const seconds = (Date.now() - started) / 1000;
  const stats = outbox.stats();
  await outbox.close();
  console.log(JSON.stringify({ events: total, cameras: cameraCount, seconds, eventsPerSecond: Math.round(total / seconds), delivered: stats.delivered, deadLettered: stats.deadLettered }));
} finally {
  await hub.stop();
  await rm(dir, { recursive: true, force: true });
}
