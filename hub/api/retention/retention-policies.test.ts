import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { AuditRecord } from '../../../models/index.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';

const hub: TestHub = await startTestHub();
after(() => hub.stop());

describe('retention policies', () => {
  test('a policy gets a ret_ id, a second one for the same scope is 409 naming the first, removal is audited', async () => {
    const store = await hub.createStore();
    const created = await hub.admin.post<{ id: string; keepDays: number }>('/v1/retention/policies', { outcome: 'verified', keepDays: 30, storeId: store.id });
    assert.match(created.id, /^ret_[0-9a-z]{26}$/);
    const clash = await hub.admin.post<{ error: { code: string; details: { field: string; policyId: string } } }>('/v1/retention/policies', { outcome: 'verified', keepDays: 9, storeId: store.id }, 409);
    assert.equal(clash.error.code, 'conflict');
    assert.equal(clash.error.details.policyId, created.id);
    await hub.admin.call('DELETE', `/v1/retention/policies/${created.id}`, 204);
    await hub.admin.call('DELETE', `/v1/retention/policies/${created.id}`, 404);
    const actions = (await AuditRecord.query(hub.db.knex).where({ tenant_id: hub.tenantId, subject_id: created.id }).orderBy('seq')).map((r) => r.action);
    assert.deepEqual(actions, ['retention.policy_created', 'retention.policy_deleted']);
  });

  test('a scope naming another tenant\'s store is 404, an id of another kind is 400', async () => {
    const other = await hub.createTenant();
    const region = await other.admin.post<{ id: string }>('/v1/regions', { name: 'Theirs' });
    const theirs = await other.admin.post<{ id: string }>('/v1/stores', { regionId: region.id, name: 'Theirs', code: 'T1', timezone: 'Europe/Berlin' });
    await hub.admin.post('/v1/retention/policies', { outcome: 'dismissed', keepDays: 1, storeId: theirs.id }, 404);
    await hub.admin.call('DELETE', `/v1/retention/policies/${theirs.id}`, 400);
  });
});
