import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildEvent, secondsAfter } from './support/factories.js';
import { startTestHub, type TestHub } from './support/hub.js';

let hub: TestHub;
before(async () => {
  hub = await startTestHub();
});
after(async () => {
  await hub.stop();
});

interface IncidentView {
  id: string;
  type: string;
  state: string;
  eventCount: number;
}

const health = (cameraId: string, storeId: string, state: string, occurredAt: string) =>
  buildEvent({ cameraId, storeId, type: 'camera_health', severity: state === 'offline' ? 'high' : 'low', occurredAt, confidence: 1, rule: { name: 'camera_health' }, detections: [], attributes: { state } });

test('an outage opens one incident and the camera’s recovery closes it, however long it lasted', async () => {
  const region = await hub.createRegion();
  const store = await hub.createStore({ regionId: region.id });
  const camera = await hub.createCamera(store.id);
  const plugin = hub.admin.as(await hub.createPluginToken([store.id]));
  const down = new Date(Date.now() - 3_600_000).toISOString();
  const opened = await plugin.post<{ results: Array<{ incidentId?: string }> }>('/v1/events', { events: [health(camera.id, store.id, 'offline', down)] }, 200);
  const outageId = opened.results[0]?.incidentId;
  assert.ok(outageId, 'the outage opened an incident');
  // Back 50 minutes later: far outside any merge window.
  const back = await plugin.post<{ results: Array<{ incidentId?: string }> }>('/v1/events', { events: [health(camera.id, store.id, 'streaming', secondsAfter(down, 3_000))] }, 200);
  assert.equal(back.results[0]?.incidentId, outageId, 'the recovery joined the outage');
  const list = await hub.admin.get<{ data: IncidentView[] }>(`/v1/incidents?cameraId=${camera.id}`);
  assert.deepEqual(list.data.map((i) => [i.id, i.type, i.state, i.eventCount]), [[outageId, 'camera_health', 'resolved', 2]]);
  const transitions = await hub.admin.get<{ data: Array<{ toState: string; reason: string | null }> }>(`/v1/incidents/${outageId}/transitions`);
  assert.deepEqual(transitions.data.map((t) => t.toState), ['resolved']);
  const audit = await hub.db.knex('audit_records').where({ subject_id: outageId, action: 'incident.resolved' }).count<Array<{ count: string | number }>>('* as count');
  assert.equal(Number(audit[0]?.count), 1, 'the closing is audited');
});

test('a recovery with no outage open, or replayed, opens nothing', async () => {
  const region = await hub.createRegion();
  const store = await hub.createStore({ regionId: region.id });
  const camera = await hub.createCamera(store.id);
  const plugin = hub.admin.as(await hub.createPluginToken([store.id]));
  const recovery = health(camera.id, store.id, 'streaming', new Date(Date.now() - 60_000).toISOString());
  const first = await plugin.post<{ results: Array<{ status: string; incidentId?: string }> }>('/v1/events', { events: [recovery] }, 200);
  assert.deepEqual([first.results[0]?.status, first.results[0]?.incidentId], ['created', undefined]);
  const again = await plugin.post<{ results: Array<{ status: string }> }>('/v1/events', { events: [recovery] }, 200);
  assert.equal(again.results[0]?.status, 'duplicate');
  const list = await hub.admin.get<{ data: IncidentView[] }>(`/v1/incidents?cameraId=${camera.id}`);
  assert.deepEqual(list.data, []);
});
