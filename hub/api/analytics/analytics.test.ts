import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildEvent } from '../../../test/support/factories.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import type { ApiClient } from '../../../test/support/api-client.js';
import { rollUpAllAnalytics } from '../../analytics/index.js';

const HOUR = 3_600_000;
type Series = { data: Array<{ bucket: string | null; key: string | null; label: string | null; incidents: number; events: number }> };

/** ISO weekday (1 Monday) and hour of a time in a zone, by Intl: independent of the hub's SQL. */
function localCell(iso: string, timeZone: string): { weekday: number; hour: number } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso));
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.find((p) => p.type === 'weekday')?.value ?? '') + 1;
  return { weekday, hour: Number(parts.find((p) => p.type === 'hour')?.value) };
}

describe('/v1/analytics', () => {
  let hub: TestHub;
  let storeA: { id: string; regionId: string };
  let storeB: { id: string; regionId: string };
  let staffA: ApiClient;
  const opened = new Date(Math.floor((Date.now() - 50 * HOUR) / HOUR) * HOUR + 17 * 60_000).toISOString();
  const range = `from=${new Date(Date.parse(opened) - 24 * HOUR).toISOString()}&to=${new Date(Date.now() + HOUR).toISOString()}`;

  async function raise(store: { id: string }, camera: string, type: string, at: string): Promise<string> {
    const plugin = hub.admin.as(await hub.createPluginToken([store.id]));
    const body = await plugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events: [buildEvent({ cameraId: camera, storeId: store.id, type: type as never, occurredAt: at })] }, 200);
    return body.results[0]?.incidentId ?? '';
  }

  before(async () => {
    hub = await startTestHub();
    storeA = await hub.createStore();
    storeB = await hub.createStore();
    await hub.admin.patch(`/v1/stores/${storeB.id}`, { name: '=HYPERLINK("http://x")' });
    const camA = await hub.createCamera(storeA.id);
    const camB = await hub.createCamera(storeB.id);
    const first = await raise(storeA, camA.id, 'zone_dwell', opened);
    await raise(storeA, camA.id, 'concealment', opened);
    await raise(storeB, camB.id, 'zone_dwell', opened);
    for (const to of ['acknowledged', 'verified', 'intervened']) await hub.admin.post(`/v1/incidents/${first}/transitions`, { to }, 200);
    await hub.admin.post(`/v1/incidents/${first}/transitions`, { to: 'resolved', outcome: { result: 'recovered', recoveredValue: 42.5, notes: 'bag returned' } }, 200);
    await rollUpAllAnalytics(hub.db.knex);
    staffA = hub.admin.as(await hub.createToken('store_staff', { storeIds: [storeA.id] }));
  });
  after(() => hub.stop());

  test('incidents by store: the tenant-wide role sees both stores, store staff only its own', async () => {
    const all = await hub.admin.get<Series>(`/v1/analytics/incidents?${range}&by=store`);
    assert.deepEqual(all.data.map((r) => [r.key, r.incidents]).sort(), [[storeA.id, 2], [storeB.id, 1]].sort());
    const own = await staffA.get<Series>(`/v1/analytics/incidents?${range}&by=store`);
    assert.deepEqual(own.data.map((r) => [r.key, r.incidents]), [[storeA.id, 2]]);
    const byType = await hub.admin.get<Series>(`/v1/analytics/incidents?${range}&by=type&storeId=${storeA.id}&interval=hour`);
    assert.deepEqual(byType.data.map((r) => [r.bucket, r.key, r.incidents]), [[new Date(Math.floor(Date.parse(opened) / HOUR) * HOUR).toISOString(), 'concealment', 1], [new Date(Math.floor(Date.parse(opened) / HOUR) * HOUR).toISOString(), 'zone_dwell', 1]]);
  });

  test('the heatmap counts each incident in its store\'s local weekday and hour', async () => {
    const heat = await hub.admin.get<{ data: Array<{ weekday: number; hour: number; incidents: number }> }>(`/v1/analytics/heatmap?${range}`);
    assert.deepEqual(heat.data, [{ ...localCell(opened, 'Europe/Berlin'), incidents: 3 }]);
  });

  test('response times and outcomes come from the resolved incident', async () => {
    const times = await hub.admin.get<{ data: Array<{ incidents: number; acknowledged: { count: number; p50: number }; resolved: { count: number; p90: number } }> }>(`/v1/analytics/response-times?${range}`);
    assert.equal(times.data.length, 1);
    assert.equal(times.data[0]?.incidents, 3);
    assert.equal(times.data[0]?.acknowledged.count, 1);
    assert.equal(times.data[0]?.acknowledged.p50, 259_200, 'about 50 hours: the bucket up to three days');
    assert.equal(times.data[0]?.resolved.count, 1);
    const outcomes = await hub.admin.get<{ data: Array<{ key: string; outcome: string; incidents: number; recoveredValue: number }> }>(`/v1/analytics/outcomes?${range}&by=store`);
    assert.deepEqual(outcomes.data.map((r) => [r.key, r.outcome, r.incidents, r.recoveredValue]), [[storeA.id, 'recovered', 1, 42.5]]);
  });

  test('CSV export: same rows, a header, and a cell that would be a formula is defused', async () => {
    const response = await hub.admin.raw('GET', `/v1/analytics/incidents?${range}&by=store`, { headers: { accept: 'text/csv' } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
    const lines = String(response.body).trim().split('\r\n');
    assert.equal(lines[0], 'bucket,key,label,incidents,events');
    assert.ok(lines.includes(`,${storeB.id},"'=HYPERLINK(""http://x"")",1,1`), lines.join('\n'));
    const viaQuery = await hub.admin.raw('GET', `/v1/analytics/incidents?${range}&by=store&format=csv`);
    assert.equal(viaQuery.body, response.body);
  });

  test('bad queries are 400; another tenant\'s store and a store the caller may not read are 404', async () => {
    for (const query of ['by=camera', 'interval=minute', 'storeId=nope', 'limit=5', `from=${new Date().toISOString()}&to=${new Date(Date.now() - HOUR).toISOString()}`, 'from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z']) {
      assert.equal((await hub.admin.raw('GET', `/v1/analytics/incidents?${query}`)).status, 400, query);
    }
    const other = await hub.createTenant();
    assert.equal((await other.admin.raw('GET', `/v1/analytics/incidents?storeId=${storeA.id}`)).status, 404);
    const theirs = await other.admin.get<Series>(`/v1/analytics/incidents?${range}`);
    assert.deepEqual(theirs.data, []);
    assert.equal((await staffA.raw('GET', `/v1/analytics/outcomes?storeId=${storeB.id}`)).status, 404);
  });
});
