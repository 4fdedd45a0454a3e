import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { databaseLabel } from '../support/database.js';
import { webhookFixture, type WebhookFixture } from './support.js';

const db = databaseLabel();
let fx: WebhookFixture;
before(async () => {
  fx = await webhookFixture();
});
after(async () => fx.stop());

interface Policy { id: string; name: string; enabled: boolean }

test(`[${db}] routing policies live at /v1/routing-policies with rtp_ ids; /v1/routes is a deprecated alias; pol_ ids made before the rename keep working`, async () => {
  const endpoint = await fx.createEndpoint({ url: 'https://receiver.example/hook', eventTypes: ['incident.created'] });
  const created = await fx.hub.admin.post<Policy>('/v1/routing-policies', { name: 'night desk', endpointIds: [endpoint.id] });
  assert.match(created.id, /^rtp_/);
  assert.equal((await fx.hub.admin.get<Policy>(`/v1/routes/${created.id}`)).name, 'night desk', 'the alias serves the same policies');
  const viaAlias = await fx.hub.admin.post<Policy>('/v1/routes', { name: 'old client', endpointIds: [endpoint.id] });
  assert.match(viaAlias.id, /^rtp_/);

  // A policy stored before the rename, under its pol_ id.
  const legacyId = 'pol_01jd0x6q8e4t0m3v7x9k2c5b1n';
  await fx.hub.db.knex('routing_policies').insert({ tenant_id: fx.hub.tenantId, id: legacyId, name: 'legacy', endpoint_ids: [endpoint.id] });
  assert.equal((await fx.hub.admin.get<Policy>(`/v1/routing-policies/${legacyId}`)).name, 'legacy');
  assert.equal((await fx.hub.admin.patch<Policy>(`/v1/routing-policies/${legacyId}`, { enabled: false })).enabled, false);
  await fx.hub.admin.call('GET', '/v1/routing-policies/whk_01jd0x6q8e4t0m3v7x9k2c5b1n', 400);

  const page = await fx.hub.admin.get<{ data: Policy[] }>('/v1/routing-policies');
  assert.deepEqual(page.data.map((p) => p.name).sort(), ['legacy', 'night desk', 'old client']);
  await fx.hub.admin.call('DELETE', `/v1/routes/${viaAlias.id}`, 204);
  await fx.hub.admin.call('GET', `/v1/routing-policies/${viaAlias.id}`, 404);

  const doc = await fx.hub.admin.get<{ paths: Record<string, Record<string, { deprecated?: boolean }>> }>('/v1/openapi.json');
  assert.equal(doc.paths['/v1/routes']?.post?.deprecated, true);
  assert.equal(doc.paths['/v1/routes/{id}']?.patch?.deprecated, true);
  assert.equal(doc.paths['/v1/routing-policies']?.post?.deprecated, undefined);

  const audit = await fx.hub.db.knex('audit_records').where({ tenant_id: fx.hub.tenantId }).whereLike('action', 'routing_policy.%').pluck('action');
  assert.deepEqual([...audit].sort(), ['routing_policy.created', 'routing_policy.created', 'routing_policy.deleted', 'routing_policy.updated'], 'the commands audit every change');
});
