import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newId } from '../../contracts/index.js';
import { TenantPolicyVersion } from '../../models/index.js';
import type { ApiClient } from '../support/api-client.js';
import { startTestHub, type TestHub } from '../support/hub.js';

type Refusal = { error: { code: string; message: string; details?: { issues: Array<{ path: string; message: string }> } } };

describe('no role can raise itself or mint above itself', () => {
  let hub: TestHub;
  let store: { id: string };
  let manager: ApiClient;
  let staff: ApiClient;
  let integrator: ApiClient;

  before(async () => {
    hub = await startTestHub();
    store = await hub.createStore();
    manager = hub.admin.as(await hub.createToken('store_manager', { storeIds: [store.id] }));
    staff = hub.admin.as(await hub.createToken('store_staff', { storeIds: [store.id] }));
    integrator = hub.admin.as(await hub.createToken('it_integrator'));
  });
  after(() => hub.stop());

  test('a policy giving a role power over policies, tokens, users or service identities is refused with 409 naming the rule', async () => {
    const cases: Array<[string, unknown[], RegExp]> = [
      ['store_manager', [{ action: 'read', subject: 'Incident' }, { action: 'update', subject: 'Policy', conditions: { role: 'store_staff' } }], /rules\[1\]: would let store_manager edit the store_staff policy/],
      ['store_staff', [{ action: 'manage', subject: 'all' }], /rules\[0\]: would let store_staff edit the lp_admin policy/],
      ['it_integrator', [{ action: 'create', subject: 'ApiToken', conditions: { role: 'lp_admin' } }], /mint lp_admin tokens/],
      ['it_integrator', [{ action: 'create', subject: 'User' }], /create lp_admin users/],
      ['store_manager', [{ action: 'create', subject: 'ServiceIdentity' }], /register service identities/],
    ];
    for (const [role, rules, message] of cases) {
      const refused = await hub.admin.call<Refusal>('PUT', `/v1/policies/${role}`, 409, { mode: 'extend', reason: 'delegate', rules });
      assert.equal(refused.error.code, 'conflict');
      assert.match(refused.error.message, message);
      const dry = await hub.admin.call<{ refusals: Array<{ message: string }> }>('PUT', `/v1/policies/${role}?dryRun=true`, 200, { mode: 'extend', rules });
      assert.ok(dry.refusals.some((r) => message.test(`${r.message}`) || message.test(`rules[1]: ${r.message}`) || message.test(`rules[0]: ${r.message}`)), 'the dry run shows the refusal too');
    }
    assert.deepEqual((await hub.admin.get<{ data: unknown[] }>('/v1/policies/store_manager/versions')).data, []);
  });

  test('tokens, users and service identities: nobody mints above the role the built-in rules allow', async () => {
    await integrator.post('/v1/tokens', { name: 'up', role: 'lp_admin' }, 403);
    await integrator.post('/v1/tokens', { name: 'same', role: 'it_integrator' }, 403);
    await integrator.post('/v1/tokens', { name: 'plugin', role: 'plugin', storeIds: [store.id] }, 201);
    await integrator.post('/v1/users', { email: 'boss@example.com', role: 'lp_admin' }, 403);
    await manager.post('/v1/tokens', { name: 'up', role: 'store_manager', storeIds: [store.id] }, 403);
    await manager.post('/v1/service-identities', { name: 'rogue', storeIds: [store.id] }, 403);
    await staff.post('/v1/users', { email: 'me2@example.com', role: 'lp_admin' }, 403);
    const person = await hub.admin.post<{ id: string }>('/v1/users', { email: 'staff@example.com', role: 'store_staff', storeIds: [store.id] });
    await manager.patch(`/v1/users/${person.id}`, { role: 'lp_admin' }, 404);
  });

  test('a role never edits its own policy, even if an old policy lets it edit policies', async () => {
    await staff.call('PUT', '/v1/policies/store_staff', 403, { reason: 'self-service', rules: [{ action: 'manage', subject: 'all' }] });
    // A version saved before the guards existed: store managers may edit every policy.
    await TenantPolicyVersion.query(hub.db.knex).insert({
      tenantId: hub.tenantId, id: newId('policy'), role: 'store_manager', version: 1, mode: 'extend',
      rules: [{ action: ['read', 'update'], subject: 'Policy' }], reason: 'legacy', revertsVersion: null, createdBy: 'legacy',
    });
    await manager.call('PUT', '/v1/policies/store_manager', 403, { reason: 'raise', rules: [{ action: 'manage', subject: 'all' }] });
    const refused = await manager.call<Refusal>('PUT', '/v1/policies/store_staff', 409, { reason: 'raise staff', rules: [{ action: 'create', subject: 'ApiToken' }] });
    assert.match(refused.error.message, /would let store_staff mint/);
    await manager.call('PUT', '/v1/policies/lp_admin', 409, { mode: 'replace', reason: 'take over', rules: [] });
    await hub.admin.call('PUT', '/v1/policies/store_manager', 200, { mode: 'extend', reason: 'guards on', rules: [] });
    const revert = await hub.admin.call<Refusal>('POST', '/v1/policies/store_manager/revert', 409, { version: 1, reason: 'back to legacy' });
    assert.match(revert.error.message, /would let store_manager edit the lp_admin policy/);
  });
});

describe('the tenant cannot lock its admins out', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub();
  });
  after(() => hub.stop());

  test('emptying or narrowing lp_admin is refused with 409 saying why; a harmless change is accepted', async () => {
    const emptied = await hub.admin.call<Refusal>('PUT', '/v1/policies/lp_admin', 409, { mode: 'replace', rules: [], reason: 'oops' });
    assert.equal(emptied.error.code, 'conflict');
    assert.match(emptied.error.message, /lp_admin would no longer edit the lp_admin policy: the tenant would be locked out/);
    await hub.admin.call('PUT', '/v1/policies/lp_admin', 409, { mode: 'extend', rules: [{ action: 'update', subject: 'Policy', inverted: true }], reason: 'freeze' });
    await hub.admin.call('PUT', '/v1/policies/lp_admin', 409, { mode: 'replace', rules: [{ action: 'manage', subject: ['Incident', 'Store'] }], reason: 'focus' });
    await hub.admin.call('PUT', '/v1/policies/lp_admin', 409, { mode: 'extend', rules: [{ action: 'create', subject: 'ApiToken', conditions: { role: 'lp_admin' }, inverted: true }], reason: 'no new admins' });
    assert.deepEqual((await hub.admin.get<{ data: unknown[] }>('/v1/policies/lp_admin/versions')).data, []);
    await hub.admin.call('PUT', '/v1/policies/lp_admin', 200, { mode: 'extend', rules: [{ action: 'delete', subject: 'Incident', inverted: true }], reason: 'keep incidents' });
    await hub.admin.call('PUT', '/v1/policies/lp_admin', 200, { mode: 'extend', rules: [], reason: 'undo' });
  });
});
