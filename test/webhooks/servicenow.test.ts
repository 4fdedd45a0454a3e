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
  fx.startWorker({ ...FAST, retryScheduleMs: [10, 1200, 20, 20, 20, 20, 20] });
});
after(async () => {
  await snow.close();
  await fx.stop();
});

const incidentTypes = ['incident.created', 'incident.updated', 'incident.resolved'];
const servicenow = (password: string) => ({
  auth: { type: 'basic', username: 'vigil.integration', password },
  fields: { short_description: 'Vigil {{type}} at {{storeId}}', correlation_id: '{{id}}', assignment_group: 'Loss Prevention' },
});

test(`[${db}] ServiceNow: a new incident creates a record through the Table API (after a 500 and a 429 with Retry-After), its sys_id is kept, transitions update the same record and resolving closes it`, async () => {
  const endpoint = await fx.createEndpoint({ url: snow.url, eventTypes: incidentTypes, format: 'servicenow', servicenow: servicenow('s3cret') });
  try {
    snow.failNext(500, 429);
    const incidentId = await fx.raiseIncident({ severity: 'critical' });
    const record = await until(async () => [...snow.records.values()].find((r) => r.fields.correlation_id === incidentId));
    assert.equal(snow.records.size, 1);
    assert.equal(record.fields.short_description, `Vigil zone_dwell at ${fx.storeId}`);
    assert.equal(record.fields.assignment_group, 'Loss Prevention');
    assert.deepEqual([record.fields.urgency, record.fields.impact], ['1', '1'], 'critical maps to urgency 1, impact 1');
    const statuses = snow.requests.map((r) => r.status);
    assert.deepEqual(statuses.slice(0, 3), [500, 429, 201]);
    // The server has the record a moment before the worker has stored the answer's sys_id.
    const link = await until(async () => (await fx.hub.db.knex('ticket_links').where({ endpoint_id: endpoint.id, subject_id: incidentId }).first()) as { external_id: string } | undefined);
    assert.equal(link.external_id, record.sys_id);
    for (const to of ['acknowledged', 'verified', 'intervened']) await fx.hub.admin.post(`/v1/incidents/${incidentId}/transitions`, { to }, 200);
    await fx.hub.admin.post(`/v1/incidents/${incidentId}/transitions`, { to: 'resolved', outcome: { result: 'recovered', recoveredValue: 42, notes: 'Goods recovered at the exit' } }, 200);
    await until(async () => record.fields.state === '6');
    assert.equal(snow.records.size, 1, 'later transitions updated the same record');
    assert.equal(record.fields.close_code, 'Solved (Permanently)');
    assert.equal(record.fields.close_notes, 'Goods recovered at the exit');
    assert.ok(record.workNotes.some((n) => /acknowledged/.test(n)), JSON.stringify(record.workNotes));
    const attempts = await fx.hub.admin.get<{ data: Array<{ statusCode: number; outcome: string; error: string | null }> }>(`/v1/webhooks/${endpoint.id}/attempts?limit=50`);
    assert.ok(attempts.data.some((a) => a.statusCode === 201 && /INC00/.test(a.error ?? '')), 'the attempt records the ServiceNow number');
  } finally {
    await fx.hub.admin.patch(`/v1/webhooks/${endpoint.id}`, { enabled: false });
  }
});

test(`[${db}] ServiceNow: wrong credentials answer 401, retried by the schedule and recorded, and nothing is created`, async () => {
  const endpoint = await fx.createEndpoint({ url: snow.url, eventTypes: ['incident.created'], format: 'servicenow', servicenow: servicenow('wrong') });
  try {
    const before = snow.records.size;
    await fx.raiseIncident({ type: 'push_out' });
    const attempts = await until(async () => {
      const page = await fx.hub.admin.get<{ data: Array<{ statusCode: number; error: string; outcome: string }> }>(`/v1/webhooks/${endpoint.id}/attempts`);
      // Each attempt is logged as `sending` before its request leaves; wait for the eighth outcome.
      return page.data.length === 8 && page.data.every((a) => a.outcome !== 'sending') ? page.data : null;
    });
    assert.ok(attempts.every((a) => a.statusCode === 401 && /User Not Authenticated/.test(a.error)));
    assert.equal(snow.records.size, before);
  } finally {
    await fx.hub.admin.patch(`/v1/webhooks/${endpoint.id}`, { enabled: false });
  }
});
