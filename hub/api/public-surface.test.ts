import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildEvent } from '../../test/support/factories.js';
import { startTestHub, type TestHub } from '../../test/support/hub.js';

describe('the hub\'s public surface: /metrics, X-Request-Id, OpenAPI security schemes', () => {
  let hub: TestHub;

  before(async () => {
    hub = await startTestHub();
  });
  after(() => hub.stop());

  test('/metrics counts events and incidents hub-wide and names no tenant', async () => {
    const store = await hub.createStore();
    const camera = await hub.createCamera(store.id);
    const plugin = hub.admin.as(await hub.createPluginToken([store.id]));
    await plugin.post('/v1/events', { events: [buildEvent({ cameraId: camera.id, storeId: store.id })] }, 200);
    const other = await hub.createTenant();
    const text = await (await fetch(`${hub.url}/metrics`)).text();
    assert.match(text, /vigil_events_ingested_total\{status="created"\} 1\b/);
    assert.match(text, /vigil_incidents_created_total 1\b/);
    assert.doesNotMatch(text, /tenant/i);
    for (const id of [hub.tenantId, other.tenantId]) assert.equal(text.includes(id), false, `${id} is on /metrics`);
    assert.doesNotMatch(text, /ten_[0-9a-z]{10,}/);
  });

  test('X-Request-Id: a bounded [A-Za-z0-9._:-] id is kept (and audited as sent); anything else is replaced by a fresh one', async () => {
    const kept = 'trace:abc-123_x.y';
    const ok = await hub.admin.raw('POST', '/v1/regions', { body: JSON.stringify({ name: 'Traced' }), headers: { 'content-type': 'application/json', 'x-request-id': kept } });
    assert.equal(ok.status, 201);
    assert.equal(ok.headers.get('x-request-id'), kept);
    const longest = 'a'.repeat(128);
    assert.equal((await hub.admin.raw('GET', '/v1/regions', { headers: { 'x-request-id': longest } })).headers.get('x-request-id'), longest);
    for (const bad of ['a'.repeat(129), 'has space', '<script>', 'a/b', 'é', 'line\\nbreak']) {
      const response = await hub.admin.raw('POST', '/v1/regions', { body: JSON.stringify({ name: `R ${bad.length}` }), headers: { 'content-type': 'application/json', 'x-request-id': bad } });
      assert.equal(response.status, 201);
      const assigned = response.headers.get('x-request-id') ?? '';
      assert.notEqual(assigned, bad);
      assert.match(assigned, /^req_[0-9a-z]+$/, bad);
      const stored = await hub.db.knex('audit_records').where({ tenant_id: hub.tenantId, action: 'region.created' }).orderBy('seq', 'desc').first<{ request_id: string }>();
      assert.equal(stored?.request_id, assigned, 'the audit trail stores the sanitised id');
    }
  });

  test('without a provider the OpenAPI document declares no openIdConnect scheme', async () => {
    const doc = (await (await fetch(`${hub.url}/v1/openapi.json`)).json()) as { components: { securitySchemes: Record<string, unknown> } };
    assert.equal(doc.components.securitySchemes.openIdConnect, undefined);
  });
});

test('with a provider configured the OpenAPI document declares an openIdConnect scheme at its discovery URL', async () => {
  const hub = await startTestHub({ identity: { devIdp: true } });
  try {
    const issuer = hub.running.identity.rp?.config.issuer ?? '';
    const doc = (await (await fetch(`${hub.url}/v1/openapi.json`)).json()) as {
      components: { securitySchemes: Record<string, { type: string; openIdConnectUrl?: string }> };
      paths: Record<string, Record<string, { security: Array<Record<string, unknown>> }>>;
    };
    assert.deepEqual(doc.components.securitySchemes.openIdConnect?.type, 'openIdConnect');
    assert.equal(doc.components.securitySchemes.openIdConnect?.openIdConnectUrl, `${issuer}/.well-known/openid-configuration`);
    assert.ok(doc.paths['/v1/incidents']?.get?.security.some((s) => 'openIdConnect' in s), 'operations accept it');
    const discovery = await fetch(doc.components.securitySchemes.openIdConnect?.openIdConnectUrl ?? '');
    assert.equal(discovery.status, 200, 'the URL is the provider\'s real discovery document');
  } finally {
    await hub.stop();
  }
});
