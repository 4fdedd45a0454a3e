import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildEvent } from '../../../test/support/factories.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import type { ApiClient } from '../../../test/support/api-client.js';
import { rollUpAllAnalytics } from '../../analytics/index.js';

type Health = { by: string; observedTo: string; data: Array<Record<string, unknown>> };

const DAY_RANGE = 'from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z';
const H = 3600;

describe('/v1/analytics/camera-health', () => {
  let hub: TestHub;
  let storeA: { id: string; regionId: string };
  let storeB: { id: string; regionId: string };
  let cam1: string;
  let cam2: string;
  let cam3: string;
  let staffB: ApiClient;

  /** camera_health reports of a camera, as the plugin sends them (hub/commands/outage-closer.ts closes an outage on a recovery). */
  async function report(store: { id: string }, cameraId: string, at: string, state: string, extra: Record<string, unknown> = {}): Promise<void> {
    const plugin = hub.admin.as(await hub.createPluginToken([store.id]));
    const event = buildEvent({ cameraId, storeId: store.id, type: 'camera_health', severity: state === 'offline' ? 'high' : 'low', occurredAt: at, confidence: 1,
      rule: { name: 'camera_health' }, detections: [], attributes: { state, ...extra } } as never);
    const body = await plugin.post<{ results: Array<{ status: string }> }>('/v1/events', { events: [event] }, 200);
    assert.equal(body.results[0]?.status, 'created');
  }

  before(async () => {
    hub = await startTestHub();
    storeA = await hub.createStore();
    storeB = await hub.createStore();
    cam1 = (await hub.createCamera(storeA.id)).id;
    cam2 = (await hub.createCamera(storeA.id)).id;
    cam3 = (await hub.createCamera(storeB.id)).id;
    // cam1: down 10:00–12:30, and again from 20:00 (never back: open). cam2: a tamper alarm, no outage. cam3: nothing.
    await report(storeA, cam1, '2026-03-02T10:00:00.000Z', 'offline');
    await report(storeA, cam1, '2026-03-02T12:30:00.000Z', 'streaming');
    await report(storeA, cam1, '2026-03-02T20:00:00.000Z', 'offline');
    await report(storeA, cam2, '2026-03-02T11:00:00.000Z', 'degraded', { tamper: true, tamperTopic: 'tns1:VideoSource/GlobalSceneChange' });
    await rollUpAllAnalytics(hub.db.knex);
    staffB = hub.admin.as(await hub.createToken('store_staff', { storeIds: [storeB.id] }));
  });
  after(() => hub.stop());

  const pick = (row: Record<string, unknown> | undefined, keys: string[]) => keys.map((k) => row?.[k]);
  const FIGURES = ['downtimeSeconds', 'outages', 'longestOutageSeconds', 'currentState', 'offlineReports', 'degradedReports', 'tamperReports'];

  test('per camera: uptime over the range, outages (an open one counts to the range\'s end), the longest, the state now and the reports', async () => {
    const health = await hub.admin.get<Health>(`/v1/analytics/camera-health?${DAY_RANGE}`);
    assert.equal(health.by, 'camera');
    assert.equal(health.observedTo, '2026-03-03T00:00:00.000Z', 'a range in the past is observed to its end');
    const row = (id: string) => health.data.find((r) => r.cameraId === id);
    assert.deepEqual(pick(row(cam1), FIGURES), [6.5 * H, 2, 4 * H, 'offline', 2, 0, 0]);
    assert.equal(row(cam1)?.uptime, (24 - 6.5) / 24);
    assert.deepEqual(pick(row(cam2), FIGURES), [0, 0, 0, 'degraded', 0, 1, 1]);
    assert.deepEqual(pick(row(cam3), [...FIGURES, 'uptime']), [0, 0, 0, 'online', 0, 0, 0, 1], 'a camera never down is up all the range');
  });

  test('outages are clipped to the range', async () => {
    const health = await hub.admin.get<Health>(`/v1/analytics/camera-health?from=2026-03-02T11:00:00Z&to=2026-03-02T21:00:00Z&storeId=${storeA.id}`);
    const row = health.data.find((r) => r.cameraId === cam1);
    assert.deepEqual(pick(row, ['downtimeSeconds', 'outages', 'longestOutageSeconds', 'observedSeconds']), [2.5 * H, 2, 1.5 * H, 10 * H]);
    assert.deepEqual(health.data.map((r) => r.cameraId).sort(), [cam1, cam2].sort(), 'the store filter');
    const before = await hub.admin.get<Health>('/v1/analytics/camera-health?from=2026-03-01T00:00:00Z&to=2026-03-02T10:00:00Z');
    assert.deepEqual(pick(before.data.find((r) => r.cameraId === cam1), ['downtimeSeconds', 'outages', 'uptime']), [0, 0, 1], 'an outage starting at the range\'s end is outside it');
  });

  test('by store: the cameras summed; CSV has the same rows', async () => {
    const health = await hub.admin.get<Health>(`/v1/analytics/camera-health?${DAY_RANGE}&by=store`);
    const a = health.data.find((r) => r.storeId === storeA.id);
    assert.deepEqual(pick(a, ['cameras', 'downtimeSeconds', 'outages', 'longestOutageSeconds', 'camerasOffline', 'camerasDegraded', 'tamperReports']), [2, 6.5 * H, 2, 4 * H, 1, 1, 1]);
    assert.equal(a?.uptime, (48 - 6.5) / 48);
    const csv = await hub.admin.raw('GET', `/v1/analytics/camera-health?${DAY_RANGE}&by=store&storeId=${storeA.id}&format=csv`);
    assert.equal(csv.status, 200);
    const lines = String(csv.body).trim().split('\r\n');
    assert.equal(lines[0], 'store_id,store,region_id,cameras,uptime,downtime_s,outages,longest_outage_s,cameras_offline,cameras_degraded,offline_reports,degraded_reports,tamper_reports');
    assert.equal(lines.length, 2);
    assert.match(lines[1] ?? '', new RegExp(`^${storeA.id},.*,2,${(48 - 6.5) / 48},23400,2,14400,1,1,2,1,1$`));
    const cameras = await hub.admin.raw('GET', `/v1/analytics/camera-health?${DAY_RANGE}&storeId=${storeA.id}`, { headers: { accept: 'text/csv' } });
    assert.equal(String(cameras.body).trim().split('\r\n').length, 3, 'a header and a line per camera');
  });

  test('scoped like incidents: another store\'s staff see their cameras only and get 404 for the store\'s id', async () => {
    const mine = await staffB.get<Health>(`/v1/analytics/camera-health?${DAY_RANGE}`);
    assert.deepEqual(mine.data.map((r) => r.cameraId), [cam3]);
    assert.equal((await staffB.raw('GET', `/v1/analytics/camera-health?${DAY_RANGE}&storeId=${storeA.id}`)).status, 404);
    assert.equal((await hub.admin.raw('GET', `/v1/analytics/camera-health?${DAY_RANGE}&storeId=sto_${'0'.repeat(26)}`)).status, 404, 'an unknown (or another tenant\'s) store');
  });

  test('bad input is a 400', async () => {
    for (const bad of ['by=lane', 'type=concealment', 'severity=high', 'from=yesterday', 'from=2026-03-03T00:00:00Z&to=2026-03-02T00:00:00Z', 'from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'storeId=nope']) {
      const res = await hub.admin.raw('GET', `/v1/analytics/camera-health?${bad}`);
      assert.equal(res.status, 400, bad);
    }
  });
});
