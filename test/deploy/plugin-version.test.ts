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
