import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startWebhookReceiver } from '../servers/webhook-receiver.js';
import { databaseLabel } from '../support/database.js';
import { FAST, webhookFixture, type WebhookFixture } from './support.js';

const db = databaseLabel();
let fx: WebhookFixture;
before(async () => {
  fx = await webhookFixture();
  fx.startWorker(FAST);
});
after(async () => fx.stop());

test(`[${db}] a test send reaches only its endpoint, signed (svix and standardwebhooks verify it), marked test in a thin body; audited`, async () => {
  let secrets: string[] = [];
  const receiver = await startWebhookReceiver({ secrets: () => secrets });
  const other = await startWebhookReceiver({});
  try {
    const endpoint = await fx.createEndpoint({ url: receiver.url, eventTypes: ['incident.created', 'pos.exception'] });
    secrets = [endpoint.secret];
    const bystander = await fx.createEndpoint({ url: other.url, eventTypes: ['pos.exception'] });
    const sent = await fx.hub.admin.call<{ messageId: string; eventType: string }>('POST', `/v1/webhooks/${endpoint.id}/test`, 202, { eventType: 'pos.exception' });
    assert.equal(sent.eventType, 'pos.exception');
    await receiver.waitFor(1);
    const delivery = receiver.received[0];
    assert.ok(delivery?.isVerified, 'both libraries verified the signature');
    assert.equal(delivery.webhookId, sent.messageId);
    const body = JSON.parse(delivery.body) as { type: string; data: Record<string, unknown> };
    assert.equal(body.type, 'pos.exception');
    assert.equal(body.data.test, true, 'the thin body still says it is a test');
    assert.deepEqual(body.data.exceptions, ['no_sale']);
    const first = await fx.hub.admin.call<{ eventType: string }>('POST', `/v1/webhooks/${endpoint.id}/test`, 202, {});
    assert.equal(first.eventType, 'incident.created', 'without a type, the endpoint\'s first');
    await receiver.waitFor(2);
    assert.equal((await fx.hub.admin.get<{ data: unknown[] }>(`/v1/webhooks/${bystander.id}/deliveries`)).data.length, 0, 'no other endpoint got it');
    assert.equal(other.received.length, 0);
    const audit = await fx.hub.admin.get<{ data: Array<{ action: string; after: { messageId: string } }> }>(`/v1/audit?subjectType=Webhook&subjectId=${endpoint.id}&action=webhook.test_sent`);
    assert.deepEqual(audit.data.map((r) => r.after.messageId).sort(), [sent.messageId, receiver.received[1]?.webhookId].sort(), 'each test send is audited with its message');
    await fx.hub.admin.patch(`/v1/webhooks/${endpoint.id}`, { enabled: false });
    await fx.hub.admin.patch(`/v1/webhooks/${bystander.id}`, { enabled: false });
  } finally {
    await receiver.close();
    await other.close();
  }
});

test(`[${db}] a test send is refused for a disabled endpoint (409), a type it does not take (422 or 400), and another tenant's endpoint (404)`, async () => {
  const endpoint = await fx.createEndpoint({ url: 'https://receiver.example.test/hook', eventTypes: ['incident.created'], enabled: false });
  const disabled = await fx.hub.admin.call<{ error: { code: string } }>('POST', `/v1/webhooks/${endpoint.id}/test`, 409, {});
  assert.equal(disabled.error.code, 'conflict');
  await fx.hub.admin.patch(`/v1/webhooks/${endpoint.id}`, { enabled: true });
  const unsubscribed = await fx.hub.admin.call<{ error: { code: string } }>('POST', `/v1/webhooks/${endpoint.id}/test`, 422, { eventType: 'pos.exception' });
  assert.equal(unsubscribed.error.code, 'unprocessable');
  await fx.hub.admin.call('POST', `/v1/webhooks/${endpoint.id}/test`, 400, { eventType: 'no.such.type' });
  await fx.hub.admin.call('POST', `/v1/webhooks/${endpoint.id}/test`, 400, { eventType: 'incident.created', extra: 1 });
  const elsewhere = await fx.hub.createTenant('Other test-send retail');
  await elsewhere.admin.call('POST', `/v1/webhooks/${endpoint.id}/test`, 404, {});
  await fx.hub.admin.patch(`/v1/webhooks/${endpoint.id}`, { enabled: false });
});
