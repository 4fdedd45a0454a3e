import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isAppError } from '../../contracts/index.js';
import { startTestHub, type TestHub } from '../../test/support/hub.js';
import { HubClient, hubFailureOf } from './index.js';

describe('HubClient.fetchStoreRules against a running hub', () => {
  let hub: TestHub;
  let storeId: string;
  let client: HubClient;

  before(async () => {
    hub = await startTestHub();
    storeId = (await hub.createStore()).id;
    const service = await hub.admin.post<{ token: string }>('/v1/service-identities', { name: 'Store plugin', storeIds: [storeId] });
    client = new HubClient({ baseUrl: hub.url, token: service.token });
  });
  after(() => hub.stop());

  test('first pull: version 0 with no rules; the same ETag again is unchanged', async () => {
    const first = await client.fetchStoreRules(storeId);
    assert.equal(first.status, 'updated');
    if (first.status !== 'updated') return;
    assert.deepEqual(first.document, { storeId, version: 0, updatedAt: null, rules: [], programs: [] });
    assert.deepEqual(await client.fetchStoreRules(storeId, first.etag), { status: 'unchanged' });
  });

  test('after an admin saves, the old ETag pulls the new document, and its ETag is unchanged until the next save', async () => {
    const before = await client.fetchStoreRules(storeId);
    assert.equal(before.status, 'updated');
    if (before.status !== 'updated') return;
    await hub.admin.call('PUT', `/v1/stores/${storeId}/rules`, 200, { rules: [{ rule: 'zone_dwell', settings: { zoneType: 'exit', minSeconds: 45 } }] });
    const pulled = await client.fetchStoreRules(storeId, before.etag);
    assert.equal(pulled.status, 'updated');
    if (pulled.status !== 'updated') return;
    assert.equal(pulled.document.version, before.document.version + 1);
    assert.deepEqual(pulled.document.rules, [{ rule: 'zone_dwell', enabled: true, settings: { zoneType: 'exit', minSeconds: 45 }, lanes: {} }]);
    assert.notEqual(pulled.etag, before.etag);
    assert.deepEqual(await client.fetchStoreRules(storeId, pulled.etag), { status: 'unchanged' });
  });

  test('a store outside the plugin\'s scope is an http failure with the hub\'s 404, and a bad ETag is refused before sending', async () => {
    const elsewhere = (await hub.createStore()).id;
    const refused = await client.fetchStoreRules(elsewhere).then(() => undefined, (error: unknown) => error);
    assert.ok(isAppError(refused));
    assert.deepEqual([hubFailureOf(refused)?.status, hubFailureOf(refused)?.hubCode], [404, 'not_found']);
    const bad = await client.fetchStoreRules(storeId, 'two words').then(() => undefined, (error: unknown) => error);
    assert.equal(hubFailureOf(bad)?.kind, 'invalid_request');
  });
});
