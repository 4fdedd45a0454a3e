import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';

interface Permissions { role: string; can: Record<string, string[]> }

describe('GET /v1/session/permissions', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub();
  });
  after(() => hub.stop());

  test('lists what the role\'s policy could allow by subject, and follows a tenant policy on the next request', async () => {
    const store = await hub.createStore();
    const staff = hub.admin.as(await hub.createToken('store_staff', { storeIds: [store.id] }));
    const before = await staff.get<Permissions>('/v1/session/permissions');
    assert.equal(before.role, 'store_staff');
    assert.deepEqual(before.can.Incident, ['read', 'transition', 'comment']);
    assert.equal(before.can.Policy, undefined, 'store staff may not touch policies');
    assert.ok(!(before.can.Camera ?? []).includes('update'));
    const admin = await hub.admin.get<Permissions>('/v1/session/permissions');
    assert.ok(admin.can.Policy?.includes('update') && admin.can.Camera?.includes('update'));
    await hub.admin.call('PUT', '/v1/policies/store_staff', 200, { reason: 'staff draw zones', rules: [{ action: 'update', subject: 'Camera', conditions: { storeId: { $in: '${user.storeIds}' } } }] });
    assert.ok((await staff.get<Permissions>('/v1/session/permissions')).can.Camera?.includes('update'));
  });
});
