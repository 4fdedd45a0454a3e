import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildEvent } from '../support/factories.js';
import type { ApiClient } from '../support/api-client.js';
import { databaseLabel } from '../support/database.js';
import { makeSnapshot, startEvidenceWorld, storedFiles, uploadEvidence, type EvidenceWorld } from './support.js';

describe(`[${databaseLabel()}] evidence in a staging environment`, () => {
  let world: EvidenceWorld;
  let staging: EvidenceWorld;
  let stagingAdmin: ApiClient;
  let stagingItem = '';
  let productionItem = '';

  before(async () => {
    world = await startEvidenceWorld();
    await world.hub.admin.post('/v1/environments', { name: 'staging' });
    stagingAdmin = world.hub.admin.as((await world.hub.admin.post<{ token: string }>('/v1/tokens', { name: 'staging admin', role: 'lp_admin', environment: 'staging' })).token);
    const region = await world.hub.admin.post<{ id: string }>('/v1/regions', { name: 'Staging region' });
    const store = await stagingAdmin.post<{ id: string }>('/v1/stores', { regionId: region.id, name: 'Lab store', code: 'LAB-1', timezone: 'UTC' });
    const camera = await stagingAdmin.post<{ id: string }>('/v1/cameras', { storeId: store.id, name: 'Lab camera' });
    const plugin = stagingAdmin.as((await stagingAdmin.post<{ token: string }>('/v1/tokens', { name: 'lab plugin', role: 'plugin', storeIds: [store.id] })).token);
    const events = await plugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events: [buildEvent({ cameraId: camera.id, storeId: store.id })] }, 200);
    staging = { ...world, storeId: store.id, cameraId: camera.id, plugin, incidentId: events.results[0]?.incidentId ?? '' };
    const snapshot = await makeSnapshot(world.dir);
    const stagingUpload = await uploadEvidence(staging, snapshot, { kind: 'snapshot' });
    const productionUpload = await uploadEvidence(world, snapshot, { kind: 'snapshot' });
    stagingItem = stagingUpload.evidenceId ?? '';
    productionItem = productionUpload.evidenceId ?? '';
    assert.ok(stagingItem && productionItem, JSON.stringify([stagingUpload.response, productionUpload.response]));
  });
  after(() => world.stop());

  test("a staging item is stored under the environment's own prefix and is invisible from production", async () => {
    const files = await storedFiles(world);
    assert.ok(files.some((f) => f.startsWith(`objects/items/${world.hub.tenantId}-staging/${stagingItem}.`)), files.join('\n'));
    assert.ok(files.some((f) => f.startsWith(`objects/items/${world.hub.tenantId}/${productionItem}.`)), 'production keeps its prefix');
    await world.hub.admin.call('GET', `/v1/evidence/items/${stagingItem}`, 404);
    await world.hub.admin.call('POST', `/v1/evidence/items/${stagingItem}/links`, 404, {});
    await stagingAdmin.call('GET', `/v1/evidence/items/${productionItem}`, 404);
  });

  test('a staging link names its environment under the signature and plays there; moved to production it is refused', async () => {
    const link = await stagingAdmin.post<{ url: string }>(`/v1/evidence/items/${stagingItem}/links`, { redacted: false });
    assert.match(link.url, /[?&]n=staging&/);
    const played = await fetch(new URL(link.url, world.hub.url));
    assert.equal(played.status, 200);
    assert.equal(played.headers.get('content-type'), 'image/jpeg');
    const moved = await fetch(new URL(link.url.replace('n=staging&', ''), world.hub.url));
    assert.equal(moved.status, 403);
    await moved.body?.cancel();
  });

  test('each environment signs with its own key set', async () => {
    const prod = await world.hub.admin.get<{ keys: Array<{ keyId: string }> }>('/v1/evidence/keys');
    const lab = await stagingAdmin.get<{ keys: Array<{ keyId: string }> }>('/v1/evidence/keys');
    assert.equal(prod.keys.length, 1);
    assert.equal(lab.keys.length, 1);
    assert.notEqual(prod.keys[0]?.keyId, lab.keys[0]?.keyId);
  });
});
