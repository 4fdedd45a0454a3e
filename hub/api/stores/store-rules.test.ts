import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { storeRulesDocumentSchema } from '../../../contracts/index.js';
import { StoreRulesVersion, withTenant } from '../../../models/index.js';
import type { ApiClient, ApiResponse } from '../../../test/support/api-client.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';

type ErrorBody = { error: { code: string; message: string; details?: { issues?: Array<{ path: string; message: string }> } } };

const dwell = (minSeconds: number) => ({ zoneType: 'exit', minSeconds });

function put(client: ApiClient, storeId: string, body: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  return client.raw('PUT', `/v1/stores/${storeId}/rules`, { body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
}

function errorOf(response: ApiResponse): ErrorBody['error'] {
  return (response.body as ErrorBody).error;
}

describe('store rules: GET and PUT /v1/stores/{id}/rules', () => {
  let hub: TestHub;
  let store: { id: string; regionId: string };
  let laneId: string;
  let otherStoreLaneId: string;

  before(async () => {
    hub = await startTestHub();
    store = await hub.createStore();
    laneId = (await hub.admin.post<{ id: string }>('/v1/lanes', { storeId: store.id, name: 'Lane 1' })).id;
    const other = await hub.createStore();
    otherStoreLaneId = (await hub.admin.post<{ id: string }>('/v1/lanes', { storeId: other.id, name: 'Lane 1' })).id;
  });
  after(() => hub.stop());

  test('a store whose rules were never saved answers version 0, no rules, and a strong ETag', async () => {
    const fresh = await hub.createStore();
    const response = await hub.admin.raw('GET', `/v1/stores/${fresh.id}/rules`);
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, { storeId: fresh.id, version: 0, updatedAt: null, rules: [], programs: [] });
    assert.match(response.headers.get('etag') ?? '', /^"[A-Za-z0-9_-]+"$/);
  });

  test('a valid document is saved as version 1, then 2, with defaults filled in, and reads back with its ETag', async () => {
    const target = await hub.createStore();
    const lane = await hub.admin.post<{ id: string }>('/v1/lanes', { storeId: target.id, name: 'Lane 1' });
    const body = { rules: [{ rule: 'zone_dwell', name: 'Exit loitering', settings: dwell(30), lanes: { [lane.id]: { settings: { minSeconds: 10 } } } }] };
    const first = await put(hub.admin, target.id, body);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const saved = storeRulesDocumentSchema.parse(first.body);
    assert.equal(saved.version, 1);
    assert.equal(saved.rules[0]?.enabled, true, 'enabled defaults to true');
    const read = await hub.admin.raw('GET', `/v1/stores/${target.id}/rules`);
    assert.deepEqual(read.body, first.body);
    assert.equal(read.headers.get('etag'), first.headers.get('etag'));
    const second = await put(hub.admin, target.id, { rules: [] });
    assert.equal((second.body as { version: number }).version, 2);
    assert.notEqual(second.headers.get('etag'), first.headers.get('etag'));
    const versions = await hub.admin.get<{ data: Array<{ version: number; rules: unknown[] }> }>(`/v1/stores/${target.id}/rules/versions`);
    assert.deepEqual(versions.data.map((v) => [v.version, v.rules.length]), [[2, 0], [1, 1]], 'earlier versions are kept, newest first');
  });

  test('If-None-Match with the current ETag answers 304 with no body; a stale or weak-different one answers 200', async () => {
    const saved = await put(hub.admin, store.id, { rules: [{ rule: 'zone_dwell', settings: dwell(20) }] });
    const etag = saved.headers.get('etag') ?? '';
    const unchanged = await hub.admin.raw('GET', `/v1/stores/${store.id}/rules`, { headers: { 'if-none-match': etag } });
    assert.equal(unchanged.status, 304);
    assert.equal(unchanged.body, undefined);
    assert.equal(unchanged.headers.get('etag'), etag);
    const weak = await hub.admin.raw('GET', `/v1/stores/${store.id}/rules`, { headers: { 'if-none-match': `"nope", W/${etag}` } });
    assert.equal(weak.status, 304, 'If-None-Match compares weakly and takes a list');
    const stale = await hub.admin.raw('GET', `/v1/stores/${store.id}/rules`, { headers: { 'if-none-match': '"an-old-tag"' } });
    assert.equal(stale.status, 200);
  });

  test('If-Match with a stale ETag answers 412 precondition_failed and saves nothing; the current one saves', async () => {
    const before = await hub.admin.raw('GET', `/v1/stores/${store.id}/rules`);
    const etag = before.headers.get('etag') ?? '';
    await put(hub.admin, store.id, { rules: [{ rule: 'zone_dwell', settings: dwell(25) }] }, { 'if-match': etag });
    const stale = await put(hub.admin, store.id, { rules: [] }, { 'if-match': etag });
    assert.equal(stale.status, 412);
    assert.equal(errorOf(stale).code, 'precondition_failed');
    const weak = await put(hub.admin, store.id, { rules: [] }, { 'if-match': `W/${(await hub.admin.raw('GET', `/v1/stores/${store.id}/rules`)).headers.get('etag')}` });
    assert.equal(weak.status, 412, 'If-Match compares strongly: a weak tag never matches');
    const now = await hub.admin.raw('GET', `/v1/stores/${store.id}/rules`);
    assert.equal((now.body as { rules: unknown[] }).rules.length, 1, 'the refused save changed nothing');
    const ok = await put(hub.admin, store.id, { rules: [{ rule: 'zone_dwell', settings: dwell(26) }] }, { 'if-match': now.headers.get('etag') ?? '' });
    assert.equal(ok.status, 200);
  });

  test('settings invalid for the rule type answer 400 naming the rule index and the problem', async () => {
    const response = await put(hub.admin, store.id, { rules: [{ rule: 'zone_dwell', settings: dwell(20) }, { rule: 'zone_dwell', name: 'Second', settings: { zoneType: 'exit', minSeconds: -5 } }] });
    assert.equal(response.status, 400);
    const error = errorOf(response);
    assert.equal(error.code, 'validation_failed');
    assert.deepEqual(error.details?.issues?.map((i) => i.path), ['rules[1].settings']);
    assert.match(error.message, /rules\[1\]\.settings: .*minSeconds/s);
  });

  test('a lane override that breaks the settings answers 400 naming the lane, though the store settings are fine', async () => {
    const response = await put(hub.admin, store.id, { rules: [{ rule: 'zone_dwell', settings: dwell(20), lanes: { [laneId]: { settings: { minSeconds: 999_999 } } } }] });
    assert.equal(response.status, 400);
    const issue = errorOf(response).details?.issues?.[0];
    assert.equal(issue?.path, `rules[0].lanes.${laneId}.settings`);
    assert.match(issue?.message ?? '', new RegExp(`lane ${laneId}: .*minSeconds`, 's'));
  });

  test('a lane turned on for a rule that is off store-wide is checked with the lane\'s settings only', async () => {
    const onlyLane = { rule: 'zone_dwell', enabled: false, settings: {}, lanes: { [laneId]: { enabled: true, settings: dwell(15) } } };
    assert.equal((await put(hub.admin, store.id, { rules: [onlyLane] })).status, 200);
    const incomplete = { ...onlyLane, lanes: { [laneId]: { enabled: true, settings: { zoneType: 'exit' } } } };
    const refused = await put(hub.admin, store.id, { rules: [incomplete] });
    assert.equal(refused.status, 400);
    assert.deepEqual(errorOf(refused).details?.issues?.map((i) => i.path), [`rules[0].lanes.${laneId}.settings`]);
  });

  test('an unknown rule type answers 400 naming the rule and the known types', async () => {
    const response = await put(hub.admin, store.id, { rules: [{ rule: 'teleportation', settings: {} }] });
    assert.equal(response.status, 400);
    const error = errorOf(response);
    assert.deepEqual(error.details?.issues?.map((i) => i.path), ['rules[0].rule']);
    assert.match(error.message, /unknown rule type teleportation; known: .*zone_dwell/);
  });

  test('two rules shown under one name are refused', async () => {
    const response = await put(hub.admin, store.id, { rules: [{ rule: 'zone_dwell', settings: dwell(20) }, { rule: 'zone_dwell', settings: dwell(40) }] });
    assert.equal(response.status, 400);
    assert.deepEqual(errorOf(response).details?.issues?.map((i) => i.path), ['rules[1].name']);
  });

  test('a lane of another store, of another tenant or made up is refused alike, saying nothing of whose it is', async () => {
    const other = await hub.createTenant();
    const foreignStore = await other.admin.post<{ id: string }>('/v1/stores', { regionId: (await other.admin.post<{ id: string }>('/v1/regions', { name: 'Far' })).id, name: 'Far', code: 'F1', timezone: 'UTC' });
    const foreignLane = (await other.admin.post<{ id: string }>('/v1/lanes', { storeId: foreignStore.id, name: 'Far lane' })).id;
    const madeUp = 'lan_00000000000000000000000000';
    const messages = [];
    for (const lane of [otherStoreLaneId, foreignLane, madeUp]) {
      const response = await put(hub.admin, store.id, { rules: [{ rule: 'zone_dwell', settings: dwell(20), lanes: { [lane]: { enabled: false } } }] });
      assert.equal(response.status, 400, lane);
      const issue = errorOf(response).details?.issues?.[0];
      assert.equal(issue?.path, `rules[0].lanes.${lane}`);
      messages.push(issue?.message);
    }
    assert.deepEqual(new Set(messages), new Set(['not a lane of this store']));
  });

  test('another tenant\'s store is a 404 to read and to write, like a store that does not exist', async () => {
    const other = await hub.createTenant();
    const theirs = await other.admin.post<{ id: string }>('/v1/stores', { regionId: (await other.admin.post<{ id: string }>('/v1/regions', { name: 'Far' })).id, name: 'Far', code: 'F2', timezone: 'UTC' });
    await hub.admin.get(`/v1/stores/${theirs.id}/rules`, 404);
    assert.equal((await put(hub.admin, theirs.id, { rules: [] })).status, 404);
    await hub.admin.get(`/v1/stores/${theirs.id}/rules/versions`, 404);
    const theirRules = await other.admin.get<{ version: number }>(`/v1/stores/${theirs.id}/rules`);
    assert.equal(theirRules.version, 0, 'nothing was saved there');
  });

  test('readers of the store read its rules but may not replace them (403); readers of other stores get 404', async () => {
    const staff = hub.admin.as(await hub.createToken('store_staff', { storeIds: [store.id] }));
    const auditor = hub.admin.as(await hub.createToken('auditor'));
    await staff.get(`/v1/stores/${store.id}/rules`);
    await auditor.get(`/v1/stores/${store.id}/rules`);
    for (const reader of [staff, auditor]) {
      const refused = await put(reader, store.id, { rules: [] });
      assert.equal(refused.status, 403);
      assert.equal(errorOf(refused).code, 'forbidden');
    }
    const elsewhere = await hub.createStore();
    await staff.get(`/v1/stores/${elsewhere.id}/rules`, 404);
    assert.equal((await put(staff, elsewhere.id, { rules: [] })).status, 404);
  });

  test('the store\'s plugin identity pulls its rules, not another store\'s, and cannot write them', async () => {
    const service = await hub.admin.post<{ token: string }>('/v1/service-identities', { name: 'Till plugin', storeIds: [store.id] });
    const plugin = hub.admin.as(service.token);
    await plugin.get(`/v1/stores/${store.id}/rules`);
    await plugin.get(`/v1/stores/${(await hub.createStore()).id}/rules`, 404);
    assert.equal((await put(plugin, store.id, { rules: [] })).status, 403);
  });

  test('a tenant policy may let store managers tune their own store\'s rules', async () => {
    const manager = hub.admin.as(await hub.createToken('store_manager', { storeIds: [store.id] }));
    assert.equal((await put(manager, store.id, { rules: [] })).status, 403);
    await hub.admin.call('PUT', '/v1/policies/store_manager', 200, { reason: 'managers tune rules', rules: [{ action: 'update', subject: 'StoreRules', conditions: { storeId: { $in: '${user.storeIds}' } } }] });
    assert.equal((await put(manager, store.id, { rules: [] })).status, 200);
    await hub.admin.call('PUT', '/v1/policies/store_manager', 200, { reason: 'back to built-in', rules: [] });
  });

  test('every save is audited with the versions and rules before and after', async () => {
    const target = await hub.createStore();
    await put(hub.admin, target.id, { rules: [{ rule: 'zone_dwell', settings: dwell(30) }] });
    await put(hub.admin, target.id, { rules: [] });
    const records = await hub.db.knex('audit_records').where({ tenant_id: hub.tenantId, action: 'store_rules.updated', subject_id: target.id }).orderBy('seq');
    assert.equal(records.length, 2);
    const last = records[1] as { subject_type: string; before: { version: number; rules: unknown[] }; after: { version: number; rules: unknown[] } };
    assert.equal(last.subject_type, 'StoreRules');
    assert.deepEqual({ before: last.before.version, after: last.after.version, rulesBefore: last.before.rules.length, rulesAfter: last.after.rules.length }, { before: 1, after: 2, rulesBefore: 1, rulesAfter: 0 });
  });

  test('concurrent saves of one store queue: each gets its own version, none is lost', async () => {
    const target = await hub.createStore();
    const saves = await Promise.all(Array.from({ length: 5 }, (_, i) => put(hub.admin, target.id, { rules: [{ rule: 'zone_dwell', settings: dwell(10 + i) }] })));
    assert.deepEqual(saves.map((r) => r.status), [200, 200, 200, 200, 200]);
    assert.deepEqual(saves.map((r) => (r.body as { version: number }).version).sort(), [1, 2, 3, 4, 5]);
  });

  test('row-level security: inside another tenant\'s transaction the saved versions are invisible', async () => {
    const target = await hub.createStore();
    await put(hub.admin, target.id, { rules: [] });
    const other = await hub.createTenant();
    const seenByOther = await withTenant(hub.db.knex, other.tenantId, { as: 'runtime' }, async (trx) => await StoreRulesVersion.query(trx).where('store_id', target.id));
    const seenByOwner = await withTenant(hub.db.knex, hub.tenantId, { as: 'runtime' }, async (trx) => await StoreRulesVersion.query(trx).where('store_id', target.id));
    assert.deepEqual([seenByOther.length, seenByOwner.length], [0, 1]);
  });

  test('bad input: malformed JSON, NUL bytes, unknown fields, too many rules and oversized bodies are 4xx and save nothing', async () => {
    const target = await hub.createStore();
    const send = (body: string, type = 'application/json') => hub.admin.raw('PUT', `/v1/stores/${target.id}/rules`, { body, headers: { 'content-type': type } });
    assert.equal(errorOf(await send('{"rules": [')).code, 'malformed_json');
    assert.equal(errorOf(await send(JSON.stringify({ rules: [{ rule: 'zone_dwell', name: 'a\u0000b', settings: dwell(5) }] }))).code, 'invalid_input');
    assert.equal(errorOf(await send(JSON.stringify({ rules: [], extra: true }))).code, 'validation_failed');
    assert.equal(errorOf(await send(JSON.stringify({ rules: Array.from({ length: 65 }, (_, i) => ({ rule: 'zone_dwell', name: `r${i}`, settings: dwell(5) })) }))).code, 'validation_failed');
    const huge = await send(JSON.stringify({ rules: [{ rule: 'zone_dwell', settings: { ...dwell(5), note: 'x'.repeat(300_000) } }] }));
    assert.equal(huge.status, 413);
    assert.equal((await send('rules=1', 'application/x-www-form-urlencoded')).status, 415);
    assert.equal((await hub.admin.raw('GET', `/v1/stores/${target.id}/rules`, { headers: { 'if-none-match': 'x'.repeat(5000) } })).status, 400);
    assert.equal((await hub.admin.get<{ version: number }>(`/v1/stores/${target.id}/rules`)).version, 0);
  });
});

test('a hub started without a rule catalogue still serves rules but refuses to save any rule (503 unavailable)', async () => {
  const hub = await startTestHub({}, { ruleCatalog: null });
  try {
    const store = await hub.createStore();
    await hub.admin.get(`/v1/stores/${store.id}/rules`);
    const refused = await put(hub.admin, store.id, { rules: [{ rule: 'zone_dwell', settings: dwell(30) }] });
    assert.equal(refused.status, 503);
    assert.equal(errorOf(refused).code, 'unavailable');
  } finally {
    await hub.stop();
  }
});
