import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { reencryptSecrets } from '../../hub/commands/secret-reencrypter.js';
import { SecretBox } from '../../hub/webhooks/index.js';
import { startWebhookReceiver } from '../servers/webhook-receiver.js';
import { databaseLabel } from '../support/database.js';
import { FAST, LOOPBACK_CEILING, TEST_SECRETS_KEY, testSecrets, webhookFixture, type WebhookFixture } from './support.js';

const db = databaseLabel();
const API_KEY = 'sk_live_0123456789abcdef';
const SNOW_PASSWORD = 'Sn0w-Integration-Pa55word';
let fx: WebhookFixture;
before(async () => {
  fx = await webhookFixture();
});
after(async () => fx.stop());

/** Every stored column of the tenant's endpoints and settings, as PostgreSQL prints them. */
async function rawStorage(): Promise<string> {
  const endpoints = await fx.hub.db.knex.raw<{ rows: unknown[] }>('SELECT * FROM webhook_endpoints WHERE tenant_id = ?', [fx.hub.tenantId]);
  const settings = await fx.hub.db.knex.raw<{ rows: unknown[] }>('SELECT * FROM webhook_settings WHERE tenant_id = ?', [fx.hub.tenantId]);
  return JSON.stringify([endpoints.rows, settings.rows]);
}

test(`[${db}] whsec_ secrets, the inbound secret, header values and ServiceNow credentials are sealed at rest; auditors see masked headers; audit rows hold no header value`, async () => {
  const hook = await fx.createEndpoint({ url: 'https://receiver.example/hook', eventTypes: ['incident.created'], headers: { 'X-Api-Key': API_KEY } });
  const snow = await fx.createEndpoint({
    url: 'https://instance.service-now.example', eventTypes: ['incident.created'], format: 'servicenow',
    servicenow: { auth: { type: 'basic', username: 'vigil.integration', password: SNOW_PASSWORD } },
  });
  const rotated = await fx.hub.admin.post<{ secret: string }>(`/v1/webhooks/${hook.id}/secret/rotate`, { graceSeconds: 60 }, 200);
  const { secret: inbound } = await fx.hub.admin.call<{ secret: string }>('PUT', '/v1/webhook-settings/inbound-secret', 200, { required: true });
  const raw = await rawStorage();
  for (const plain of [hook.secret, rotated.secret, snow.secret, inbound, API_KEY, SNOW_PASSWORD]) {
    assert.ok(!raw.includes(plain), `stored in clear: ${plain.slice(0, 10)}…`);
    assert.ok(!raw.includes(plain.replace(/^whsec_/, '')), 'not even the key part of a whsec_ secret');
  }
  const keyId = testSecrets().currentKeyId;
  assert.ok((raw.match(new RegExp(`enc:v1:${keyId}:`, 'g')) ?? []).length >= 6, 'each value carries its key id');

  const auditor = fx.hub.admin.as(await fx.hub.createToken('auditor'));
  const shown = await auditor.get<{ headers: Record<string, string> }>(`/v1/webhooks/${hook.id}`);
  assert.deepEqual(shown.headers, { 'X-Api-Key': '••••cdef' });
  await fx.hub.admin.patch(`/v1/webhooks/${hook.id}`, { headers: { 'X-Api-Key': `${API_KEY}-v2` } });
  const audit = await fx.hub.db.knex.raw<{ rows: unknown[] }>("SELECT * FROM audit_records WHERE tenant_id = ? AND action LIKE 'webhook%'", [fx.hub.tenantId]);
  const auditText = JSON.stringify(audit.rows);
  assert.ok(audit.rows.length >= 3, 'creates, rotation and update are audited');
  assert.ok(auditText.includes('X-Api-Key'), 'the header name is audited');
  for (const secret of [API_KEY, SNOW_PASSWORD, 'enc:v1:', hook.secret, rotated.secret]) assert.ok(!auditText.includes(secret), `audit holds ${secret.slice(0, 8)}…`);
  await fx.hub.admin.patch(`/v1/webhooks/${hook.id}`, { enabled: false });
  await fx.hub.admin.patch(`/v1/webhooks/${snow.id}`, { enabled: false });
  await fx.hub.admin.call('PUT', '/v1/webhook-settings/inbound-secret', 200, { required: false });
});

test(`[${db}] after a key rotation and re-encryption, only the new key is needed and deliveries still verify with svix`, async () => {
  let secrets: string[] = [];
  const receiver = await startWebhookReceiver({ secrets: () => secrets });
  const endpoint = await fx.createEndpoint({ url: receiver.url, eventTypes: ['incident.created'], headers: { 'X-Api-Key': API_KEY } });
  secrets = [endpoint.secret];
  const newKey = Buffer.alloc(32, 9);
  const oldKeyId = testSecrets().currentKeyId;
  try {
    const summary = await reencryptSecrets(fx.hub.db.knex, new SecretBox(newKey, [Buffer.from(TEST_SECRETS_KEY, 'base64')]));
    assert.ok(summary.endpoints >= 1);
    const raw = await rawStorage();
    assert.ok(!raw.includes(`enc:v1:${oldKeyId}:`), 'nothing is left under the old key');
    assert.ok(raw.includes(`enc:v1:${summary.keyId}:`));
    const again = await reencryptSecrets(fx.hub.db.knex, new SecretBox(newKey));
    assert.equal(again.endpoints, 0, 'a second run changes nothing');
    fx.startWorker(FAST, LOOPBACK_CEILING, new SecretBox(newKey));
    await fx.raiseIncident();
    await receiver.waitFor(1);
    assert.ok(receiver.received[0]?.isVerified, 'the re-encrypted secret still signs verifiably');
    assert.equal(receiver.received[0]?.headers['x-api-key'], API_KEY, 'the header value is sent in clear to the receiver only');
  } finally {
    // This hub's API still runs with the old key, so the endpoint is switched off in the database.
    await fx.hub.db.knex('webhook_endpoints').where({ tenant_id: fx.hub.tenantId, id: endpoint.id }).update({ enabled: false });
    await receiver.close();
  }
});
