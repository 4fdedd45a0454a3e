import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildEvent } from './support/factories.js';
import { startTestHub, type TestHub } from './support/hub.js';

describe('service identities', () => {
  let hub: TestHub;
  let store: { id: string };
  let camera: { id: string };
  before(async () => {
    hub = await startTestHub();
    store = await hub.createStore();
    camera = await hub.createCamera(store.id);
  });
  after(() => hub.stop());

  const post = (token: string, expected: number) => hub.admin.as(token).post('/v1/events', { events: [buildEvent({ cameraId: camera.id, storeId: store.id })] }, expected);

  test('a plugin identity posts for its stores; rotation keeps the old token for the grace period only', async () => {
    const created = await hub.admin.post<{ id: string; token: string }>('/v1/service-identities', { name: 'Store 1 back office', storeIds: [store.id] });
    assert.match(created.id, /^svc_/);
    await post(created.token, 200);
    const rotated = await hub.admin.post<{ token: string; previousValidUntil: string }>(`/v1/service-identities/${created.id}/rotate`, { graceSeconds: 3600 });
    await post(created.token, 200);
    await post(rotated.token, 200);
    const noGrace = await hub.admin.post<{ token: string }>(`/v1/service-identities/${created.id}/rotate`, { graceSeconds: 0 });
    await post(rotated.token, 401);
    await post(created.token, 401);
    await post(noGrace.token, 200);
    const detail = await hub.admin.get<{ tokens: Array<{ expiresAt: string | null }> }>(`/v1/service-identities/${created.id}`);
    assert.equal(detail.tokens.length, 3);
  });

  test('disabling an identity revokes its tokens on the next request; another store is refused per item', async () => {
    const other = await hub.createStore();
    const created = await hub.admin.post<{ id: string; token: string }>('/v1/service-identities', { name: 'Store 2', storeIds: [other.id] });
    const body = await post(created.token, 200) as { results: Array<{ status: string; error?: { code: string } }> };
    assert.equal(body.results[0]?.error?.code, 'forbidden');
    await hub.admin.patch(`/v1/service-identities/${created.id}`, { disabled: true });
    await post(created.token, 401);
    await hub.admin.post(`/v1/service-identities/${created.id}/rotate`, {}, 409);
  });

  test('store staff cannot register plugins', async () => {
    const staff = hub.admin.as(await hub.createToken('store_staff', { storeIds: [store.id] }));
    await staff.post('/v1/service-identities', { name: 'rogue', storeIds: [store.id] }, 403);
  });

  test('usage counts the events each tenant posted, per day', async () => {
    const usage = await hub.admin.get<{ totals: Record<string, number>; days: Array<{ metric: string }> }>('/v1/usage');
    assert.ok((usage.totals.events ?? 0) >= 4, JSON.stringify(usage));
    const other = await hub.createTenant();
    const theirs = await other.admin.get<{ totals: Record<string, number> }>('/v1/usage');
    assert.deepEqual(theirs.totals, {});
  });
});

describe('rate limits', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ http: { rateLimitPerIdentityPerMinute: 5 } });
  });
  after(() => hub.stop());

  test('an identity over its limit gets 429 with Retry-After; another identity is unaffected', async () => {
    const reviewer = hub.admin.as(await hub.createToken('central_reviewer'));
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 7; i += 1) {
      const response = await reviewer.raw('GET', '/v1/incidents');
      statuses.push(response.status);
      retryAfter ??= response.headers.get('retry-after');
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
    assert.ok(Number(retryAfter) >= 1);
    await hub.admin.get('/v1/incidents', 200);
  });
});
