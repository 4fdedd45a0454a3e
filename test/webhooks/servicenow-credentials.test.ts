import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServiceNowServer, type ServiceNowServer } from '../servers/servicenow-server.js';
import { databaseLabel } from '../support/database.js';
import { FAST, until, webhookFixture, type WebhookFixture } from './support.js';

const db = databaseLabel();
let fx: WebhookFixture;
let snow: ServiceNowServer;
before(async () => {
  fx = await webhookFixture();
  snow = await startServiceNowServer({ username: 'vigil.integration', password: 's3cret-new-4711' });
  fx.startWorker(FAST);
});
after(async () => {
  await snow.close();
  await fx.stop();
});

const code = (body: unknown) => (body as { error: { code: string } }).error.code;
const patch = (id: string, body: unknown) => fx.hub.admin.raw('PATCH', `/v1/webhooks/${id}`, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
const basic = (password: string) => ({ type: 'basic', username: 'vigil.integration', password });

test(`[${db}] PATCH servicenowAuth replaces only the credentials: sealed, never answered or audited, and the field mapping stays`, async () => {
  const endpoint = await fx.createEndpoint({
    url: snow.url, eventTypes: ['incident.created'], format: 'servicenow', enabled: false,
    servicenow: { auth: basic('old-password'), fields: { short_description: 'Vigil {{type}}', correlation_id: '{{id}}', assignment_group: 'Loss Prevention' } },
  });
  const answer = await patch(endpoint.id, { servicenowAuth: basic('s3cret-new-4711'), enabled: true });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  const audit = await fx.hub.admin.get<{ data: Array<{ action: string; after: { servicenowCredentialsReplaced?: boolean } }> }>(`/v1/audit?subjectType=Webhook&subjectId=${endpoint.id}`);
  assert.equal(audit.data.find((r) => r.action === 'webhook.updated')?.after.servicenowCredentialsReplaced, true, 'the audit says the credentials were replaced');
  for (const shown of [answer.body, audit.data]) assert.equal(JSON.stringify(shown).includes('s3cret-new-4711'), false);
  const stored = await fx.hub.db.knex('webhook_endpoints').where({ id: endpoint.id }).first<{ config: { servicenow: { auth: { password: string }; fields: Record<string, string> } } }>('config');
  assert.notEqual(stored.config.servicenow.auth.password, 's3cret-new-4711', 'stored sealed');
  assert.equal(stored.config.servicenow.fields.assignment_group, 'Loss Prevention', 'the mapping stays');
  try {
    const incidentId = await fx.raiseIncident();
    const record = await until(async () => [...snow.records.values()].find((r) => r.fields.correlation_id === incidentId));
    assert.equal(record.fields.assignment_group, 'Loss Prevention', 'the instance accepted the new credentials and the kept mapping was used');
  } finally {
    await fx.hub.admin.patch(`/v1/webhooks/${endpoint.id}`, { enabled: false });
  }
});

test(`[${db}] servicenowAuth is refused with a stable code: on a standard endpoint, beside servicenow, empty, with a NUL byte, on another tenant's endpoint`, async () => {
  const standard = await fx.createEndpoint({ url: 'https://receiver.example.test/vigil', eventTypes: ['incident.created'], enabled: false });
  const snowEndpoint = await fx.createEndpoint({ url: snow.url, eventTypes: ['incident.created'], format: 'servicenow', enabled: false, servicenow: { auth: basic('x') } });
  const refused = async (id: string, body: unknown, status: number) => {
    const response = await patch(id, body);
    assert.equal(response.status, status, JSON.stringify(response.body));
    return code(response.body);
  };
  assert.equal(await refused(standard.id, { servicenowAuth: basic('p') }, 422), 'unprocessable');
  assert.equal(await refused(snowEndpoint.id, { servicenowAuth: basic('p'), servicenow: { auth: basic('p') } }, 400), 'validation_failed');
  assert.equal(await refused(snowEndpoint.id, { servicenowAuth: basic('') }, 400), 'validation_failed');
  assert.equal(await refused(snowEndpoint.id, { servicenowAuth: { type: 'bearer' } }, 400), 'validation_failed');
  assert.equal(await refused(snowEndpoint.id, { servicenowAuth: basic('pass\u0000word') }, 400), 'invalid_input');
  const other = await fx.hub.createTenant();
  const response = await other.admin.raw('PATCH', `/v1/webhooks/${snowEndpoint.id}`, { body: JSON.stringify({ servicenowAuth: basic('p') }), headers: { 'content-type': 'application/json' } });
  assert.equal(response.status, 404);
});
