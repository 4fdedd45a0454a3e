import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import type { Id } from '../contracts/index.js';
import { HubClient } from '../plugin/hub-client/index.js';
import { EventSender, openOutbox } from '../plugin/outbox/index.js';
import { buildEvent, tempDir, waitFor } from '../plugin/outbox/test-support/fixtures.js';
import { databaseLabel } from './support/database.js';
import { startTestHub, type TestHub } from './support/hub.js';

const db = databaseLabel();
let hub: TestHub;
let storeId: Id<'store'>;
let cameraId: Id<'camera'>;
let siblingLaneId: Id<'lane'>;
let token: string;

before(async () => {
  hub = await startTestHub();
  const store = await hub.createStore();
  const sibling = await hub.createStore();
  storeId = store.id as Id<'store'>;
  cameraId = (await hub.createCamera(store.id)).id as Id<'camera'>;
  siblingLaneId = (await hub.admin.post<{ id: string }>('/v1/lanes', { storeId: sibling.id, name: 'Lane 9' })).id as Id<'lane'>;
  token = await hub.createPluginToken([store.id]);
});
after(() => hub.stop());

test(`[${db}] events the real hub refuses per item are dead-lettered with the hub's code; the camera's next events are delivered`, async (t) => {
  const dir = await tempDir(t);
  const outbox = await openOutbox({ dir, senders: { event: new EventSender(new HubClient({ baseUrl: hub.url, token })) }, backoff: { baseMs: 10, capMs: 100 } });
  t.after(() => outbox.close());
  const first = buildEvent({ cameraId, storeId, n: 1 });
  const foreignLane = { ...buildEvent({ cameraId, storeId, n: 2 }), laneId: siblingLaneId };
  const yearsAhead = { ...buildEvent({ cameraId, storeId, n: 3 }), occurredAt: '2299-01-01T00:00:00.000Z' };
  const next = buildEvent({ cameraId, storeId, n: 4 });
  for (const event of [first, foreignLane, yearsAhead, next]) await outbox.appendEvent(event);
  await waitFor('the camera stream settled', () => outbox.stats().pending === 0);
  const stored = await hub.db.knex('detection_events').where({ tenant_id: hub.tenantId, camera_id: cameraId }).orderBy('occurred_at').pluck('id');
  assert.deepEqual(stored, [first.id, next.id]);
  const stats = outbox.stats();
  assert.equal(stats.deadLettered, 2);
  const lines = (await readFile(stats.deadLetterPath, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { reason: string; payload: { id: string } });
  assert.deepEqual(lines.map((l) => l.payload.id), [foreignLane.id, yearsAhead.id]);
  assert.match(lines[0]!.reason, /^validation_failed: lane .* belongs to another store/);
  assert.match(lines[1]!.reason, /^validation_failed: occurredAt .* ahead/);
});
