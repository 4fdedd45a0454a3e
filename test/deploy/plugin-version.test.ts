import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { compareVersions, MIN_PLUGIN_VERSION, vigilVersion } from '../../contracts/index.js';
import { HubClient } from '../../plugin/hub-client/index.js';
import { ApiClient } from '../support/api-client.js';
import { startTestHub, type TestHub } from '../support/hub.js';

let hub: TestHub;
before(async () => {
  hub = await startTestHub();
});
after(() => hub.stop());

const pluginSeries = async (): Promise<string[]> => {
  const metrics = await new ApiClient(hub.url).raw('GET', '/metrics');
  return String(metrics.body).split('\n').filter((line) => line.startsWith('vigil_plugin_requests_total{'));
};

test('the hub counts plugin requests by the version the plugin sends, and marks the ones older than it supports', { timeout: 120_000 }, async () => {
  const store = await hub.createStore();
  const token = await hub.createPluginToken([store.id]);
  // The plugin's own client, with its default User-Agent (vigil-plugin/<package.json version>)…
  await new HubClient({ baseUrl: hub.url, token }).fetchStoreRules(store.id).catch(() => undefined);
  // …and one from a release before the supported range.
  await new HubClient({ baseUrl: hub.url, token, userAgent: 'vigil-plugin/0.0.1' }).fetchStoreRules(store.id).catch(() => undefined);
  const series = await pluginSeries();
  assert.ok(series.some((line) => line.startsWith(`vigil_plugin_requests_total{version="${vigilVersion()}",outdated="false"}`)), series.join('\n'));
  assert.ok((compareVersions('0.0.1', MIN_PLUGIN_VERSION) ?? 0) < 0);
  assert.ok(series.some((line) => line.startsWith('vigil_plugin_requests_total{version="0.0.1",outdated="true"}')), series.join('\n'));
  assert.ok(!series.some((line) => line.includes(hub.tenantId)), 'no tenant in an unauthenticated series');
});

test('an admin sees each plugin with the version it last reported, the outdated ones first', { timeout: 120_000 }, async () => {
  const store = await hub.createStore();
  const current = await hub.createPluginToken([store.id]);
  const old = await hub.createPluginToken([store.id]);
  await new HubClient({ baseUrl: hub.url, token: current }).fetchStoreRules(store.id);
  await new HubClient({ baseUrl: hub.url, token: old, userAgent: 'vigil-plugin/0.0.1' }).fetchStoreRules(store.id);
  const listed = await hub.admin.get<{ minPluginVersion: string; hubVersion: string; data: Array<{ pluginVersion: string | null; outdated: boolean; storeIds: string[] }> }>('/v1/plugins');
  assert.equal(listed.minPluginVersion, MIN_PLUGIN_VERSION);
  assert.equal(listed.hubVersion, vigilVersion());
  const mine = listed.data.filter((p) => p.storeIds.includes(store.id));
  assert.deepEqual(mine.map((p) => [p.pluginVersion, p.outdated]), [['0.0.1', true], [vigilVersion(), false]]);
  // The plugin upgrades: its token now reports the new version.
  await new HubClient({ baseUrl: hub.url, token: old }).fetchStoreRules(store.id);
  const after = await hub.admin.get<{ data: Array<{ pluginVersion: string | null; storeIds: string[] }> }>('/v1/plugins');
  assert.deepEqual(after.data.filter((p) => p.storeIds.includes(store.id)).map((p) => p.pluginVersion), [vigilVersion(), vigilVersion()]);
  const staff = hub.admin.as(await hub.createToken('store_staff', { storeIds: [store.id] }));
  await staff.call('GET', '/v1/plugins', 200).then((body) => assert.deepEqual((body as { data: unknown[] }).data, [], 'store staff read no tokens'));
});
