import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ApiClient } from './support/api-client.js';
import { buildEvent } from './support/factories.js';
import { startTestHub, type TestHub } from './support/hub.js';

describe('who sees what: stores, regions, tenants', () => {
  let hub: TestHub;
  const incidents: Record<string, string> = {};
  let ids: { storeA: string; storeB: string; storeC: string; regionNorth: string; regionSouth: string; cameraA: string; cameraB: string };
  let staffA: ApiClient;
  let northManager: ApiClient;
  let otherAdmin: ApiClient;

  before(async () => {
    hub = await startTestHub();
    const north = await hub.createRegion('North');
    const south = await hub.createRegion('South');
    const storeA = await hub.createStore({ regionId: north.id });
    const storeB = await hub.createStore({ regionId: north.id });
    const storeC = await hub.createStore({ regionId: south.id });
    const cams = await Promise.all([storeA, storeB, storeC].map((s) => hub.createCamera(s.id)));
    ids = { storeA: storeA.id, storeB: storeB.id, storeC: storeC.id, regionNorth: north.id, regionSouth: south.id, cameraA: cams[0]!.id, cameraB: cams[1]!.id };
    const plugin = hub.admin.as(await hub.createPluginToken([storeA.id, storeB.id, storeC.id]));
    const events = [storeA, storeB, storeC].map((s, i) => buildEvent({ cameraId: cams[i]!.id, storeId: s.id }));
    const body = await plugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events }, 200);
    incidents.A = body.results[0]!.incidentId;
    incidents.B = body.results[1]!.incidentId;
    incidents.C = body.results[2]!.incidentId;
    staffA = hub.admin.as(await hub.createToken('store_staff', { storeIds: [storeA.id] }));
    northManager = hub.admin.as(await hub.createToken('regional_manager', { regionIds: [north.id] }));
    otherAdmin = (await hub.createTenant()).admin;
  });
  after(() => hub.stop());

  test("store staff of store A get 404 for store B's incident and never see it in a list", async () => {
    await staffA.get(`/v1/incidents/${incidents.A}`, 200);
    const refused = await staffA.get<{ error: { code: string } }>(`/v1/incidents/${incidents.B}`, 404);
    assert.equal(refused.error.code, 'not_found');
    await staffA.post(`/v1/incidents/${incidents.B}/transitions`, { to: 'acknowledged' }, 404);
    await staffA.post(`/v1/incidents/${incidents.B}/comments`, { body: 'hello' }, 404);
    const list = await staffA.get<{ data: Array<{ id: string; storeId: string }> }>('/v1/incidents');
    assert.deepEqual(list.data.map((i) => i.id), [incidents.A]);
    const filtered = await staffA.get<{ data: unknown[] }>(`/v1/incidents?storeId=${ids.storeB}`);
    assert.equal(filtered.data.length, 0);
  });

  test('store staff see only their store, lanes and cameras', async () => {
    const stores = await staffA.get<{ data: Array<{ id: string }> }>('/v1/stores');
    assert.deepEqual(stores.data.map((s) => s.id), [ids.storeA]);
    await staffA.get(`/v1/stores/${ids.storeB}`, 404);
    const cameras = await staffA.get<{ data: Array<{ id: string }> }>('/v1/cameras');
    assert.deepEqual(cameras.data.map((c) => c.id), [ids.cameraA]);
    await staffA.get(`/v1/cameras/${ids.cameraB}`, 404);
    await staffA.post('/v1/cameras', { storeId: ids.storeA, name: 'sneaky' }, 403);
    await staffA.get('/v1/audit', 403);
  });

  test("a regional manager sees the region's incidents and not another region's", async () => {
    const list = await northManager.get<{ data: Array<{ id: string }> }>('/v1/incidents');
    assert.deepEqual(new Set(list.data.map((i) => i.id)), new Set([incidents.A, incidents.B]));
    await northManager.get(`/v1/incidents/${incidents.C}`, 404);
    const stores = await northManager.get<{ data: Array<{ id: string }> }>('/v1/stores');
    assert.deepEqual(new Set(stores.data.map((s) => s.id)), new Set([ids.storeA, ids.storeB]));
  });

  test("another tenant's ids answer 404 everywhere and its lists are empty", async () => {
    for (const path of [`/v1/incidents/${incidents.A}`, `/v1/stores/${ids.storeA}`, `/v1/regions/${ids.regionNorth}`, `/v1/cameras/${ids.cameraA}`, `/v1/incidents/${incidents.A}/transitions`]) {
      const body = await otherAdmin.get<{ error: { code: string } }>(path, 404);
      assert.equal(body.error.code, 'not_found', path);
    }
    await otherAdmin.patch(`/v1/stores/${ids.storeA}`, { name: 'mine now' }, 404);
    await otherAdmin.post('/v1/cameras', { storeId: ids.storeA, name: 'cross-tenant' }, 404);
    await otherAdmin.post('/v1/stores', { regionId: ids.regionNorth, name: 'x', code: 'X1', timezone: 'UTC' }, 404);
    const list = await otherAdmin.get<{ data: unknown[] }>('/v1/incidents');
    assert.equal(list.data.length, 0);
  });

  test('a revoked token is refused on the next request', async () => {
    const created = await hub.admin.post<{ id: string; token: string }>('/v1/tokens', { name: 'temp', role: 'central_reviewer' });
    const temp = hub.admin.as(created.token);
    await temp.get('/v1/incidents', 200);
    await hub.admin.call('DELETE', `/v1/tokens/${created.id}`, 200);
    const refused = await temp.get<{ error: { code: string } }>('/v1/incidents', 401);
    assert.equal(refused.error.code, 'unauthenticated');
  });

  test('missing, malformed and unknown tokens are refused', async () => {
    const anonymous = hub.admin.as('');
    await anonymous.get('/v1/incidents', 401);
    await hub.admin.as('vgl_short').get('/v1/incidents', 401);
    await hub.admin.as(`vgl_${'A'.repeat(43)}`).get('/v1/incidents', 401);
  });
});
