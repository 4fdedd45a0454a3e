import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import type { StoreRulesDocument } from '../contracts/index.js';
import { HubClient } from '../plugin/hub-client/index.js';
import { StoreRulesSync } from '../plugin/pipeline/index.js';
import { startTestHub, type TestHub } from './support/hub.js';

let hub: TestHub;
let dir: string;
before(async () => {
  hub = await startTestHub();
  dir = await mkdtemp(join(tmpdir(), 'vigil-store-rules-'));
});
after(async () => {
  await hub.stop();
  await rm(dir, { recursive: true, force: true });
});

function waitForDocument(seen: StoreRulesDocument[], version: number): Promise<StoreRulesDocument> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 20_000;
    const check = (): void => {
      const found = seen.find((d) => d.version === version);
      if (found !== undefined) return resolve(found);
      if (Date.now() > deadline) return reject(new Error(`no document of version ${version}; saw ${seen.map((d) => d.version).join(', ')}`));
      setImmediate(check);
    };
    check();
  });
}

test('a plugin pulls its store’s rules from the hub, follows new versions, and starts from its cache when the hub is away', async () => {
  const store = await hub.createStore();
  const client = new HubClient({ baseUrl: hub.url, token: await hub.createPluginToken([store.id]), timeoutMs: 5_000 });
  const body = { rules: [{ rule: 'no_sale_drawer_open', settings: { graceSeconds: 4 } }] };
  await hub.admin.raw('PUT', `/v1/stores/${store.id}/rules`, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const seen: StoreRulesDocument[] = [];
  const cacheDir = join(dir, 'cache');
  const options = { storeIds: [store.id], cacheDir, pollMs: 60_000, logger: pino({ level: 'silent' }), onDocument: (d: StoreRulesDocument) => void seen.push(d) };
  const sync = new StoreRulesSync({ ...options, source: client });
  await sync.start();
  const first = await waitForDocument(seen, 1);
  assert.equal(first.rules[0]?.rule, 'no_sale_drawer_open');
  await sync.pollNow();
  assert.equal(seen.length, 1, 'an unchanged document (304) is not handed on again');
  await hub.admin.raw('PUT', `/v1/stores/${store.id}/rules`, { body: JSON.stringify({ rules: [] }), headers: { 'content-type': 'application/json' } });
  await sync.pollNow();
  assert.deepEqual(seen.map((d) => d.version), [1, 2]);
  await sync.stop();

  // The next start cannot reach the hub (nothing listens on port 9): the cached version 2 is in force at once.
  const offline: StoreRulesDocument[] = [];
  const away = new StoreRulesSync({ ...options, onDocument: (d) => void offline.push(d), source: new HubClient({ baseUrl: 'http://127.0.0.1:9', token: 'vgl_offlineofflineoffline', timeoutMs: 1_000 }) });
  await away.start();
  assert.deepEqual(offline.map((d) => d.version), [2]);
  await away.pollNow();
  assert.deepEqual(away.versions(), { [store.id]: 2 });
  await away.stop();
});
