import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { databaseLabel } from '../../../test/support/database.js';
import { digestPlace, seedIncident } from '../../../test/support/digest-seed.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import { rollUpAllAnalytics } from '../../analytics/index.js';
import { publishDueDigests } from '../../digest/index.js';

const db = databaseLabel();
const NOW = new Date(Date.UTC(2026, 10, 18, 9, 30));
const WEEK = Date.UTC(2026, 10, 9);
const HOSTILE = '<img src=x onerror=alert(1)> Store';

interface Summary { id: string; regionId: string; cadence: string; periodStart: string; incidents: number; links: { self: string; html: string } }
let hub: TestHub;
let north: string;
let south: string;

before(async () => {
  hub = await startTestHub({ role: 'api' });
  north = (await hub.createRegion('North')).id;
  south = (await hub.createRegion('South')).id;
  const a = await digestPlace(hub, north, HOSTILE);
  const c = await digestPlace(hub, south, 'Store C');
  await seedIncident(hub, a, WEEK + 3_600_000);
  await seedIncident(hub, a, WEEK + 7_200_000);
  await seedIncident(hub, c, WEEK + 3_600_000);
  await rollUpAllAnalytics(hub.db.knex);
  assert.equal(await publishDueDigests(hub.db.knex, () => NOW, hub.tenantId), 2);
});
after(async () => hub.stop());

const list = (client = hub.admin, query = '') => client.get<{ data: Summary[]; nextCursor: string | null }>(`/v1/analytics/digests${query}`);
const digestOf = async (regionId: string) => (await list(hub.admin, `?regionId=${regionId}`)).data[0]!;

test(`[${db}] central roles list the tenant's digests, filtered by region and cadence, paged`, async () => {
  assert.equal((await list()).data.length, 2);
  const auditor = hub.admin.as(await hub.createToken('central_reviewer'));
  assert.equal((await list(auditor)).data.length, 2);
  const northOnly = await list(hub.admin, `?regionId=${north}&cadence=weekly`);
  assert.deepEqual(northOnly.data.map((d) => [d.regionId, d.cadence, d.periodStart, d.incidents]), [[north, 'weekly', '2026-11-09T00:00:00.000Z', 2]]);
  assert.equal((await list(hub.admin, '?cadence=daily')).data.length, 0);
  const first = await list(hub.admin, '?limit=1');
  assert.equal(first.data.length, 1);
  assert.ok(first.nextCursor);
  const second = await list(hub.admin, `?limit=1&cursor=${first.nextCursor}`);
  assert.equal(second.data.length, 1);
  assert.notEqual(second.data[0]?.id, first.data[0]?.id);
  assert.equal(second.nextCursor, null);
});

test(`[${db}] a digest as JSON, and as HTML under a strict CSP with the store name escaped`, async () => {
  const digest = await digestOf(north);
  const json = await hub.admin.get<{ content: { topStores: Array<{ label: string; incidents: number }> } }>(digest.links.self);
  assert.deepEqual(json.content.topStores.map((s) => [s.label, s.incidents]), [[HOSTILE, 2]]);
  const html = await hub.admin.raw('GET', digest.links.html);
  assert.equal(html.status, 200);
  assert.match(html.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(html.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  assert.match(html.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  const body = String(html.body);
  assert.ok(!body.includes('<img'), 'the name is text, not markup');
  assert.ok(body.includes('&lt;img src=x onerror=alert(1)&gt; Store'));
});

test(`[${db}] regional managers read their region's digests; store roles none; another tenant's id is a 404`, async () => {
  const northDigest = await digestOf(north);
  const southDigest = await digestOf(south);
  const manager = hub.admin.as(await hub.createToken('regional_manager', { regionIds: [north] }));
  assert.deepEqual((await list(manager)).data.map((d) => d.regionId), [north]);
  await manager.get(northDigest.links.self);
  await manager.get(southDigest.links.self, 404);
  await manager.get(southDigest.links.html, 404);
  await manager.get(`/v1/analytics/digests?regionId=${south}`, 404);
  const staff = hub.admin.as(await hub.createToken('store_staff', { storeIds: [(await hub.createStore({ regionId: north })).id] }));
  assert.deepEqual((await list(staff)).data, []);
  await staff.get(northDigest.links.self, 404);
  await staff.get(`/v1/analytics/digests?regionId=${north}`, 404);
  const other = await hub.createTenant('Digest elsewhere');
  await other.admin.get(northDigest.links.self, 404);
  await other.admin.get(northDigest.links.html, 404);
  await other.admin.get(`/v1/analytics/digests?regionId=${north}`, 404);
});

test(`[${db}] bad query input is a 400`, async () => {
  for (const query of ['?cadence=monthly', '?limit=0', '?limit=500', '?regionId=sto_0000000000aaaaaaaaaaaaaaaa', '?period=week', '?cursor=nonsense']) {
    const response = await hub.admin.raw('GET', `/v1/analytics/digests${query}`);
    assert.equal(response.status, 400, `${query}: ${JSON.stringify(response.body)}`);
  }
  assert.equal((await hub.admin.raw('GET', '/v1/analytics/digests/not-a-digest')).status, 400);
  assert.equal((await hub.admin.raw('GET', '/v1/analytics/digests/inc_0000000000aaaaaaaaaaaaaa/html')).status, 400);
});

test(`[${db}] a rule denying one store of a region hides that region's digest (404); a rule on types refuses digests (403)`, async () => {
  const stores = await hub.admin.get<{ data: Array<{ id: string; regionId: string }> }>('/v1/stores?limit=200');
  const northStore = stores.data.find((s) => s.regionId === north)?.id ?? '';
  const reviewer = hub.admin.as(await hub.createToken('central_reviewer'));
  const northDigest = (await digestOf(north)).id;
  try {
    await hub.admin.call('PUT', '/v1/policies/central_reviewer', 200, { mode: 'extend', reason: 'one store is reviewed elsewhere', rules: [{ action: 'read', subject: 'Incident', inverted: true, conditions: { storeId: northStore } }] });
    assert.deepEqual((await list(reviewer)).data.map((d) => d.regionId), [south], 'the region with the hidden store has no digest for this role');
    await reviewer.get(`/v1/analytics/digests/${northDigest}`, 404);
    await reviewer.get(`/v1/analytics/digests/${northDigest}/html`, 404);
    await hub.admin.call('PUT', '/v1/policies/central_reviewer', 200, { mode: 'extend', reason: 'no concealment', rules: [{ action: 'read', subject: 'Incident', inverted: true, conditions: { type: 'concealment' } }] });
    const refused = await reviewer.call<{ error: { code: string; message: string } }>('GET', '/v1/analytics/digests', 403);
    assert.match(refused.error.message, /type/);
  } finally {
    await hub.admin.call('PUT', '/v1/policies/central_reviewer', 200, { mode: 'extend', rules: [], reason: 'restored' });
  }
  assert.equal((await list(reviewer)).data.length, 2, 'restored, the role reads both regions again');
});

test(`[${db}] an admin sets the digest cadence through the API (audited), the worker follows it, and bad input or other roles are refused`, async () => {
  assert.deepEqual(await hub.admin.get('/v1/analytics/digest-settings'), { cadence: 'weekly' });
  const put = (client: typeof hub.admin, body: string) => client.raw('PUT', '/v1/analytics/digest-settings', { body, headers: { 'content-type': 'application/json' } });
  assert.equal((await put(hub.admin, JSON.stringify({ cadence: 'off' }))).status, 200);
  assert.deepEqual(await hub.admin.get('/v1/analytics/digest-settings'), { cadence: 'off' });
  // Off: nothing more is made, whatever is due (the next week has closed two weeks later).
  assert.equal(await publishDueDigests(hub.db.knex, () => new Date(NOW.getTime() + 14 * 86_400_000), hub.tenantId), 0);
  const tenant = await hub.db.knex('tenants').where({ id: hub.tenantId }).first('settings') as { settings: Record<string, unknown> };
  assert.deepEqual(tenant.settings.digest, { cadence: 'off' }, 'stored under settings.digest, the other settings untouched');
  for (const body of ['{"cadence":"hourly"}', '{"cadence":"weekly","extra":1}', '{"cadence":"week\\u0000ly"}', '{"cadence":']) {
    assert.equal((await put(hub.admin, body)).status, 400, body);
  }
  const reviewer = hub.admin.as(await hub.createToken('central_reviewer'));
  assert.equal((await put(reviewer, JSON.stringify({ cadence: 'daily' }))).status, 403);
  assert.equal((await reviewer.raw('GET', '/v1/analytics/digest-settings')).status, 403);
  assert.equal((await put(hub.admin, JSON.stringify({ cadence: 'weekly' }))).status, 200);
  const audit = await hub.admin.get<{ data: Array<{ action: string; before: unknown; after: unknown }> }>(`/v1/audit?subjectType=Tenant&subjectId=${hub.tenantId}&limit=10`);
  const changes = audit.data.filter((r) => r.action === 'digest_settings.updated');
  assert.equal(changes.length, 2);
  assert.deepEqual(changes.map((r) => r.after), [{ cadence: 'weekly' }, { cadence: 'off' }]);
});
