import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { startTestHub, type TestHub } from '../../test/support/hub.js';

interface ErrorBody {
  error: { code: string; details?: { field?: string } };
}

const hub: TestHub = await startTestHub();
after(() => hub.stop());

describe('directory resources: duplicate unique keys', () => {
  test('a second region with the same name answers 409 conflict naming the field name', async () => {
    await hub.createRegion('North');
    const clash = await hub.admin.post<ErrorBody>('/v1/regions', { name: 'North' }, 409);
    assert.equal(clash.error.code, 'conflict');
    assert.equal(clash.error.details?.field, 'name');
    const other = await hub.createRegion('South');
    const renamed = await hub.admin.patch<ErrorBody>(`/v1/regions/${other.id}`, { name: 'North' }, 409);
    assert.equal(renamed.error.details?.field, 'name');
  });

  test('a second store with the same code answers 409 conflict naming the field code', async () => {
    const store = await hub.createStore({ code: 'DUP-1' });
    const clash = await hub.admin.post<ErrorBody>('/v1/stores', { regionId: store.regionId, name: 'Copy', code: 'DUP-1', timezone: 'Europe/Berlin' }, 409);
    assert.equal(clash.error.code, 'conflict');
    assert.equal(clash.error.details?.field, 'code');
  });

  test('a second lane with the same POS workstation in one store answers 409 naming posWorkstationId', async () => {
    const store = await hub.createStore();
    await hub.admin.post('/v1/lanes', { storeId: store.id, name: 'Lane 1', posWorkstationId: 'WS-7' });
    const clash = await hub.admin.post<ErrorBody>('/v1/lanes', { storeId: store.id, name: 'Lane 2', posWorkstationId: 'WS-7' }, 409);
    assert.equal(clash.error.code, 'conflict');
    assert.equal(clash.error.details?.field, 'posWorkstationId');
    const second = await hub.admin.post<{ id: string }>('/v1/lanes', { storeId: store.id, name: 'Lane 3', posWorkstationId: 'WS-8' });
    const patched = await hub.admin.patch<ErrorBody>(`/v1/lanes/${second.id}`, { posWorkstationId: 'WS-7' }, 409);
    assert.equal(patched.error.details?.field, 'posWorkstationId');
  });

  test('after a refused duplicate the same name still works in another tenant, and nothing was half-written', async () => {
    const other = await hub.createTenant();
    await other.admin.post('/v1/regions', { name: 'North' }, 201);
    const regions = await hub.admin.get<{ data: Array<{ name: string }> }>('/v1/regions?limit=200');
    assert.equal(regions.data.filter((r) => r.name === 'North').length, 1);
  });
});
