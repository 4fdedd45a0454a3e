import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ApiClient } from '../../../test/support/api-client.js';
import { buildEvent, secondsAfter } from '../../../test/support/factories.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import { usageByDay } from '../../usage/index.js';

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
      ['events not a list', await send(JSON.stringify({ events: {} })), 400, 'validation_failed'],
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

  test('one bad event among good ones is refused on its own with a code; the others are stored', async () => {
    const camera = cameras[1]!;
    const at = (s: number) => secondsAfter('2026-06-01T10:00:00.000Z', s);
    const good = [0, 1, 2].map((s) => buildEvent({ cameraId: camera.id, storeId: store.id, occurredAt: at(s * 3600) }));
    const unknownField = { ...buildEvent({ cameraId: camera.id, storeId: store.id }), extra: 1 };
    const wrongType = { ...buildEvent({ cameraId: camera.id, storeId: store.id }), confidence: 'high' };
    const noId = { ...buildEvent({ cameraId: camera.id, storeId: store.id }), id: 42 };
    const body = await plugin.post<IngestBody>('/v1/events', { events: [good[0], unknownField, good[1], wrongType, noId, good[2]] }, 200);
    assert.deepEqual(body.results.map((r) => r.status), ['created', 'rejected', 'created', 'rejected', 'rejected', 'created']);
    assert.deepEqual(body.results.map((r) => r.error?.code), [undefined, 'validation_failed', undefined, 'validation_failed', 'validation_failed', undefined]);
    assert.equal(body.results[1]?.id, unknownField.id);
    assert.equal(body.results[4]?.id, '#4', 'an item without a usable id is named by its position');
    assert.match(JSON.stringify(body.results[3]?.error), /events\.3\.confidence/);
    assert.deepEqual([body.created, body.rejected], [3, 3]);
    const stored = await hub.db.knex('detection_events').where({ tenant_id: hub.tenantId }).whereIn('id', [...good.map((e) => e.id), unknownField.id, wrongType.id]).pluck('id');
    assert.deepEqual(stored.sort(), good.map((e) => e.id).sort());
  });

  test('an event id twice in a batch is stored, metered and audited once; the second answers as a duplicate', async () => {
    const camera = cameras[2]!;
    const event = buildEvent({ cameraId: camera.id, storeId: store.id, occurredAt: '2026-06-02T10:00:00.000Z' });
    const other = buildEvent({ cameraId: camera.id, storeId: store.id, occurredAt: '2026-06-02T12:00:00.000Z' });
    const metered = async () => (await usageByDay(hub.db.knex, hub.tenantId, '2000-01-01', '2100-01-01')).filter((d) => d.metric === 'events').reduce((n, d) => n + d.value, 0);
    const meteredBefore = await metered();
    const body = await plugin.post<IngestBody>('/v1/events', { events: [event, other, event] }, 200);
    assert.deepEqual(body.results.map((r) => r.status), ['created', 'created', 'duplicate']);
    assert.equal(body.results[2]?.incidentId, body.results[0]?.incidentId);
    assert.deepEqual([body.created, body.duplicates], [2, 1]);
    assert.equal(await metered() - meteredBefore, 2, 'metered once per distinct event');
    const rows = await hub.db.knex('detection_events').where({ tenant_id: hub.tenantId, id: event.id }).count<{ count: number }[]>('* as count');
    assert.equal(Number(rows[0]?.count), 1);
    const audit = await hub.db.knex('audit_records').where({ tenant_id: hub.tenantId, action: 'events.ingested' }).orderBy('seq', 'desc').first<{ after: { created: number; duplicates: number } }>('after');
    assert.deepEqual([audit?.after.created, audit?.after.duplicates], [2, 1]);
  });

  test('an event dated more than a day ahead, or before 1970, is refused per item', async () => {
    const camera = cameras[3]!;
    const now = Date.now();
    const nearFuture = buildEvent({ cameraId: camera.id, storeId: store.id, occurredAt: new Date(now + 3600_000).toISOString() });
    const farFuture = buildEvent({ cameraId: camera.id, storeId: store.id, occurredAt: new Date(now + 2 * 86_400_000).toISOString() });
    const yearsAhead = buildEvent({ cameraId: camera.id, storeId: store.id, occurredAt: '2300-01-01T00:00:00.000Z' });
    const ancient = { ...buildEvent({ cameraId: camera.id, storeId: store.id }), occurredAt: '1969-12-31T23:59:59.000Z' };
    const body = await plugin.post<IngestBody>('/v1/events', { events: [nearFuture, farFuture, yearsAhead, ancient] }, 200);
    assert.deepEqual(body.results.map((r) => [r.status, r.error?.code]), [
      ['created', undefined], ['rejected', 'validation_failed'], ['rejected', 'validation_failed'], ['rejected', 'validation_failed'],
    ]);
  });

  test("a lane of another tenant or another store is refused per item; the store's own lane is accepted", async () => {
    const camera = cameras[4]!;
    const ownLane = await hub.admin.post<{ id: string }>('/v1/lanes', { storeId: store.id, name: 'Lane 1' });
    const otherStore = await hub.createStore();
    const siblingLane = await hub.admin.post<{ id: string }>('/v1/lanes', { storeId: otherStore.id, name: 'Lane 2' });
    const foreign = await hub.createTenant();
    const region = await foreign.admin.post<{ id: string }>('/v1/regions', { name: 'Their region' });
    const foreignStore = await foreign.admin.post<{ id: string }>('/v1/stores', { regionId: region.id, name: 'Their store', code: 'THEIRS', timezone: 'Europe/Paris' });
    const foreignLaneId = (await foreign.admin.post<{ id: string }>('/v1/lanes', { storeId: foreignStore.id, name: 'Their lane' })).id;
    const at = '2026-06-03T10:00:00.000Z';
    const events = [ownLane.id, foreignLaneId, siblingLane.id].map((laneId, i) => buildEvent({ cameraId: camera.id, storeId: store.id, laneId, occurredAt: secondsAfter(at, i * 3600) }));
    const body = await plugin.post<IngestBody>('/v1/events', { events }, 200);
    assert.deepEqual(body.results.map((r) => [r.status, r.error?.code]), [['created', undefined], ['rejected', 'not_found'], ['rejected', 'validation_failed']]);
    const stored = await hub.db.knex('detection_events').where({ tenant_id: hub.tenantId }).whereIn('id', events.map((e) => e.id)).pluck('lane_id');
    assert.deepEqual(stored, [ownLane.id]);
  });
});
