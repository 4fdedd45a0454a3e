import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ApiClient } from '../../../test/support/api-client.js';
import { buildEvent, secondsAfter } from '../../../test/support/factories.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';

interface IngestBody {
  results: Array<{ id: string; status: string; incidentId?: string; error?: { code: string } }>;
  created: number;
  duplicates: number;
  rejected: number;
}

describe('POST /v1/events', () => {
  let hub: TestHub;
  let plugin: ApiClient;
  let store: { id: string };
  let cameras: Array<{ id: string }>;

  before(async () => {
    hub = await startTestHub();
    store = await hub.createStore();
    cameras = await Promise.all([0, 1, 2, 3, 4].map(() => hub.createCamera(store.id)));
    plugin = hub.admin.as(await hub.createPluginToken([store.id]));
  });
  after(() => hub.stop());

  test('a replayed 500-event batch creates each event and incident once and answers as before', async () => {
    const start = '2026-03-01T10:00:00.000Z';
    // 5 cameras x 2 types x 50 bursts of 1 event spaced 10 minutes apart: 500 events, 500 incidents.
    const events = [];
    for (let burst = 0; burst < 50; burst += 1) {
      for (const camera of cameras) {
        for (const type of ['zone_dwell', 'concealment'] as const) {
          events.push(buildEvent({ cameraId: camera.id, storeId: store.id, type, occurredAt: secondsAfter(start, burst * 600) }));
        }
      }
    }
    assert.equal(events.length, 500);
    const first = await plugin.post<IngestBody>('/v1/events', { events }, 200);
    assert.equal(first.created, 500);
    const incidents = new Set(first.results.map((r) => r.incidentId));
    assert.equal(incidents.size, 500);
    const replay = await plugin.post<IngestBody>('/v1/events', { events }, 200);
    assert.equal(replay.created, 0);
    assert.equal(replay.duplicates, 500);
    assert.deepEqual(replay.results.map((r) => r.incidentId), first.results.map((r) => r.incidentId));
    const rows = await hub.db.knex('incidents').where({ tenant_id: hub.tenantId }).whereIn('camera_id', cameras.map((c) => c.id)).count<{ count: number }[]>('* as count');
    assert.equal(Number(rows[0]?.count), 500);
    const eventRows = await hub.db.knex('detection_events').where({ tenant_id: hub.tenantId }).count<{ count: number }[]>('* as count');
    assert.equal(Number(eventRows[0]?.count), 500);
  });

  test('events of one camera and type merge within the store window and open a new incident after it', async () => {
    const camera = await hub.createCamera(store.id);
    const t0 = '2026-04-01T09:00:00.000Z';
    const batch = [0, 10, 25, 54].map((s) => buildEvent({ cameraId: camera.id, storeId: store.id, occurredAt: secondsAfter(t0, s) }));
    const body = await plugin.post<IngestBody>('/v1/events', { events: batch }, 200);
    const ids = body.results.map((r) => r.incidentId);
    assert.equal(ids[0], ids[1]);
    assert.equal(ids[1], ids[2]);
    assert.equal(ids[2], ids[3], '54 s is within 30 s of the last event at 25 s');
    const later = await plugin.post<IngestBody>('/v1/events', { events: [buildEvent({ cameraId: camera.id, storeId: store.id, occurredAt: secondsAfter(t0, 120) })] }, 200);
    assert.notEqual(later.results[0]?.incidentId, ids[0], '66 s after the last event opens a new incident');
    const incident = await hub.admin.get<{ eventCount: number; openedAt: string; lastEventAt: string }>(`/v1/incidents/${ids[0]}`);
    assert.equal(incident.eventCount, 4);
    assert.equal(incident.openedAt, t0);
    assert.equal(incident.lastEventAt, secondsAfter(t0, 54));
  });

  test('a store setting narrows the merge window', async () => {
    const tight = await hub.createStore({ mergeWindowSeconds: 5 });
    const camera = await hub.createCamera(tight.id);
    const tightPlugin = hub.admin.as(await hub.createPluginToken([tight.id]));
    const t0 = '2026-04-02T09:00:00.000Z';
    const body = await tightPlugin.post<IngestBody>('/v1/events', { events: [0, 4, 12].map((s) => buildEvent({ cameraId: camera.id, storeId: tight.id, occurredAt: secondsAfter(t0, s) })) }, 200);
    assert.equal(body.results[0]?.incidentId, body.results[1]?.incidentId);
    assert.notEqual(body.results[1]?.incidentId, body.results[2]?.incidentId);
  });

  test('events for another store or an unknown camera are rejected per item; the rest land', async () => {
    const other = await hub.createStore();
    const otherCamera = await hub.createCamera(other.id);
    const good = buildEvent({ cameraId: cameras[0]!.id, storeId: store.id, occurredAt: '2026-05-01T10:00:00.000Z' });
    const foreign = buildEvent({ cameraId: otherCamera.id, storeId: other.id });
    const unknownCamera = buildEvent({ cameraId: 'cam_0000000000aaaaaaaaaaaaaaaa', storeId: store.id });
    const wrongStore = buildEvent({ cameraId: otherCamera.id, storeId: store.id });
    const body = await plugin.post<IngestBody>('/v1/events', { events: [good, foreign, unknownCamera, wrongStore] }, 200);
    assert.deepEqual(body.results.map((r) => r.status), ['created', 'rejected', 'rejected', 'rejected']);
    assert.deepEqual(body.results.slice(1).map((r) => r.error?.code), ['forbidden', 'not_found', 'validation_failed']);
  });

  test('a reviewer may not post events: only plugins speak for stores', async () => {
    const reviewer = hub.admin.as(await hub.createToken('central_reviewer'));
    const body = await reviewer.post<{ error: { code: string } }>('/v1/events', { events: [buildEvent({ cameraId: cameras[0]!.id, storeId: store.id })] }, 403);
    assert.equal(body.error.code, 'forbidden');
  });

  test('bad input is refused with a clear code and nothing is written', async () => {
    const before = await hub.db.knex('detection_events').count<{ count: number }[]>('* as count');
    const send = (body: string, type = 'application/json') => plugin.raw('POST', '/v1/events', { body, headers: { 'content-type': type } });
    const cases: Array<[string, Awaited<ReturnType<typeof send>>, number, string]> = [
      ['malformed JSON', await send('{"events": [ {'), 400, 'malformed_json'],
      ['wrong content type', await send('{}', 'text/plain'), 415, 'unsupported_media_type'],
      ['unknown field', await send(JSON.stringify({ events: [{ ...buildEvent({ cameraId: cameras[0]!.id, storeId: store.id }), extra: 1 }] })), 400, 'validation_failed'],
      ['wrong type', await send(JSON.stringify({ events: [{ ...buildEvent({ cameraId: cameras[0]!.id, storeId: store.id }), confidence: 'high' }] })), 400, 'validation_failed'],
      ['empty batch', await send(JSON.stringify({ events: [] })), 400, 'validation_failed'],
      ['501 events', await send(JSON.stringify({ events: Array.from({ length: 501 }, () => buildEvent({ cameraId: cameras[0]!.id, storeId: store.id })) })), 400, 'validation_failed'],
      ['oversized body', await send(JSON.stringify({ events: [], pad: 'x'.repeat(5 * 1024 * 1024) })), 413, 'payload_too_large'],
    ];
    for (const [name, response, status, code] of cases) {
      assert.equal(response.status, status, name);
      assert.equal((response.body as { error: { code: string } }).error.code, code, name);
    }
    const afterCount = await hub.db.knex('detection_events').count<{ count: number }[]>('* as count');
    assert.deepEqual(afterCount, before);
  });
});
