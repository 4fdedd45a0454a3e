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
  snow = await startServiceNowServer({ username: 'vigil.integration', password: 's3cret' });
  // A short request timeout: the held create answer is given up on quickly.
  fx.startWorker({ ...FAST, requestTimeoutMs: 300 });
});
after(async () => {
  await snow.close();
  await fx.stop();
});

test(`[${db}] ServiceNow: a create whose response is lost is found by correlation_id on retry, and no second ticket is opened`, async () => {
  const endpoint = await fx.createEndpoint({
    url: snow.url, eventTypes: ['incident.created'], format: 'servicenow',
    servicenow: { auth: { type: 'basic', username: 'vigil.integration', password: 's3cret' }, fields: { short_description: 'Vigil {{type}}', correlation_id: '{{id}}' } },
  });
  try {
    snow.loseNextCreateResponse();
    const incidentId = await fx.raiseIncident({ severity: 'high' });
    const link = await until(async () => (await fx.hub.db.knex('ticket_links').where({ endpoint_id: endpoint.id, subject_id: incidentId }).first()) as { external_id: string } | undefined);
    const tickets = [...snow.records.values()].filter((r) => r.fields.correlation_id === incidentId);
    assert.equal(tickets.length, 1, 'exactly one ticket for the incident');
    assert.equal(link.external_id, tickets[0]?.sys_id, 'the found record is linked');
    assert.deepEqual(snow.requests.map((r) => `${r.method} ${r.status}`), ['POST 0', 'GET 200'], 'the retry looked up instead of creating again');
    const delivery = await until(async () => {
      const page = await fx.hub.admin.get<{ data: Array<{ status: string }> }>(`/v1/webhooks/${endpoint.id}/deliveries`);
      return page.data[0]?.status === 'succeeded' ? page.data[0] : null;
    });
    assert.equal(delivery.status, 'succeeded');
    const attempts = await fx.hub.admin.get<{ data: Array<{ attempt: number; statusCode: number | null; outcome: string; error: string | null }> }>(`/v1/webhooks/${endpoint.id}/attempts`);
    const byNumber = [...attempts.data].sort((a, b) => a.attempt - b.attempt);
    assert.equal(byNumber[0]?.statusCode, null, 'the first attempt had no answer');
    assert.match(byNumber[0]?.error ?? '', /no response/);
    assert.match(byNumber[1]?.error ?? '', /found by correlation_id/);
  } finally {
    await fx.hub.admin.patch(`/v1/webhooks/${endpoint.id}`, { enabled: false });
  }
});
