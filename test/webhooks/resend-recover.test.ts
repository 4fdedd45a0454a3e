import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startWebhookReceiver, type WebhookReceiver } from '../servers/webhook-receiver.js';
import { databaseLabel } from '../support/database.js';
import { FAST, until, webhookFixture, type WebhookFixture } from './support.js';

const db = databaseLabel();
let fx: WebhookFixture;
before(async () => {
  fx = await webhookFixture();
  fx.startWorker(FAST);
});
after(async () => fx.stop());

/** A receiver verifying with the endpoint's secret (svix and standardwebhooks), and its endpoint. */
async function subscribed(body: Record<string, unknown>): Promise<{ receiver: WebhookReceiver; endpoint: { id: string; secret: string } }> {
  let secrets: string[] = [];
  const receiver = await startWebhookReceiver({ secrets: () => secrets });
  const endpoint = await fx.createEndpoint({ url: receiver.url, ...body });
  secrets = [endpoint.secret];
  return { receiver, endpoint };
}

test(`[${db}] resend goes only to an endpoint subscribed to the message's event type; another endpoint gets 422`, async () => {
  const created = await subscribed({ eventTypes: ['incident.created'] });
  const resolvedOnly = await subscribed({ eventTypes: ['incident.resolved'] });
  try {
    await fx.raiseIncident();
    await created.receiver.waitFor(1);
    const messageId = created.receiver.received[0]?.webhookId ?? '';
    const refused = await fx.hub.admin.call<{ error: { code: string; message: string } }>('POST', `/v1/webhooks/${resolvedOnly.endpoint.id}/messages/${messageId}/resend`, 422);
    assert.equal(refused.error.code, 'unprocessable');
    assert.match(refused.error.message, /not subscribed to incident\.created/);
    await fx.hub.admin.call('POST', `/v1/webhooks/${created.endpoint.id}/messages/${messageId}/resend`, 202);
    await created.receiver.waitFor(2);
    assert.equal(created.receiver.received[1]?.webhookId, messageId, 'resent under the same webhook-id');
    assert.ok(created.receiver.received.every((d) => d.isVerified));
    const held = await fx.hub.admin.get<{ data: unknown[] }>(`/v1/webhooks/${resolvedOnly.endpoint.id}/deliveries`);
    assert.equal(held.data.length, 0, 'nothing was queued for the unsubscribed endpoint');
    assert.equal(resolvedOnly.receiver.received.length, 0);
  } finally {
    await fx.hub.admin.patch(`/v1/webhooks/${created.endpoint.id}`, { enabled: false });
    await fx.hub.admin.patch(`/v1/webhooks/${resolvedOnly.endpoint.id}`, { enabled: false });
    await created.receiver.close();
    await resolvedOnly.receiver.close();
  }
});

test(`[${db}] messages created while an endpoint is disabled are held, and recover delivers them after re-enabling`, async () => {
  const { receiver, endpoint } = await subscribed({ eventTypes: ['incident.created'], enabled: false });
  try {
    const since = new Date(Date.now() - 1000).toISOString();
    const incidentId = await fx.raiseIncident();
    const held = await fx.hub.admin.get<{ data: Array<{ status: string; messageId: string }> }>(`/v1/webhooks/${endpoint.id}/deliveries`);
    assert.equal(held.data.length, 1, 'the message was kept for the disabled endpoint');
    assert.equal(held.data[0]?.status, 'skipped');
    await fx.hub.admin.patch(`/v1/webhooks/${endpoint.id}`, { enabled: true });
    const { recovered } = await fx.hub.admin.call<{ recovered: number }>('POST', `/v1/webhooks/${endpoint.id}/recover`, 202, { since });
    assert.equal(recovered, 1);
    await receiver.waitFor(1);
    const [delivery] = receiver.received;
    assert.ok(delivery?.isVerified, 'the recovered message verifies with svix');
    assert.equal(delivery.webhookId, held.data[0]?.messageId);
    assert.equal((JSON.parse(delivery.body) as { data: { id: string } }).data.id, incidentId);
    await until(async () => {
      const page = await fx.hub.admin.get<{ data: Array<{ status: string }> }>(`/v1/webhooks/${endpoint.id}/deliveries`);
      return page.data[0]?.status === 'succeeded';
    });
  } finally {
    await fx.hub.admin.patch(`/v1/webhooks/${endpoint.id}`, { enabled: false });
    await receiver.close();
  }
});
