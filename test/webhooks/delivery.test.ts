import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startWebhookReceiver, type ReceiverOptions, type WebhookReceiver } from '../servers/webhook-receiver.js';
import { databaseLabel } from '../support/database.js';
import { FAST, until, webhookFixture, type WebhookFixture } from './support.js';

const db = databaseLabel();
let fx: WebhookFixture;
before(async () => {
  fx = await webhookFixture();
  fx.startWorker(FAST);
});
after(async () => fx.stop());

async function withReceiver(reply: ReceiverOptions['reply'], body: Record<string, unknown> = {}): Promise<{ receiver: WebhookReceiver; endpoint: { id: string; secret: string } }> {
  let secrets: string[] = [];
  const receiver = await startWebhookReceiver({ secrets: () => secrets, ...(reply ? { reply } : {}) });
  const endpoint = await fx.createEndpoint({ url: receiver.url, eventTypes: ['incident.created'], ...body });
  secrets = [endpoint.secret];
  return { receiver, endpoint };
}

test(`[${db}] a new incident reaches a real receiver that verifies it with svix and standardwebhooks; a tampered body is refused`, async () => {
  const { receiver, endpoint } = await withReceiver(undefined);
  try {
    assert.match(endpoint.secret, /^whsec_[A-Za-z0-9+/=]{32}$/);
    const incidentId = await fx.raiseIncident();
    await receiver.waitFor(1);
    const [delivery] = receiver.received;
    assert.ok(delivery?.isVerified);
    assert.match(delivery.webhookId, /^msg_/);
    const payload = JSON.parse(delivery.body) as { type: string; timestamp: string; data: Record<string, unknown> };
    assert.equal(payload.type, 'incident.created');
    assert.equal(payload.data.id, incidentId);
    assert.deepEqual((payload.data.links as Record<string, string>).self, `https://vigil.example/v1/incidents/${incidentId}`);
    assert.equal(payload.data.confidence, undefined, 'thin payload by default');
    const tampered = await fetch(receiver.url, {
      method: 'POST',
      headers: { 'webhook-id': delivery.webhookId, 'webhook-timestamp': delivery.timestamp, 'webhook-signature': delivery.signature, 'content-type': 'application/json' },
      body: delivery.body.replace('incident.created', 'incident.resolved'),
    });
    assert.equal(tampered.status, 401);
    assert.equal(receiver.rejected.length, 1);
    const secretShown = await fx.hub.admin.get<Record<string, unknown>>(`/v1/webhooks/${endpoint.id}`);
    assert.equal(secretShown.secret, undefined, 'the secret is shown only once');
    const attempts = await until(async () => {
      const page = await fx.hub.admin.get<{ data: Array<{ outcome: string; statusCode: number }> }>(`/v1/webhooks/${endpoint.id}/attempts`);
      // The attempt is logged as `sending` before the request leaves, then completed with its outcome.
      return page.data.length > 0 && page.data[0]?.outcome !== 'sending' ? page.data : null;
    });
    assert.equal(attempts[0]?.outcome, 'succeeded');
    assert.equal(attempts[0]?.statusCode, 204);
  } finally {
    await fx.hub.admin.patch(`/v1/webhooks/${endpoint.id}`, { enabled: false });
    await receiver.close();
  }
});

test(`[${db}] a receiver that always fails sees exactly 1 + 7 attempts, then the delivery is failed`, async () => {
  const { receiver, endpoint } = await withReceiver(() => ({ status: 500, body: 'boom' }));
  try {
    await fx.raiseIncident();
    const failed = await until(async () => {
      const page = await fx.hub.admin.get<{ data: Array<{ status: string; attemptCount: number }> }>(`/v1/webhooks/${endpoint.id}/deliveries`);
      return page.data[0]?.status === 'failed' ? page.data[0] : null;
    });
    assert.equal(failed.attemptCount, 8);
    // 'failed' is written after the eighth answer was recorded and is terminal: nothing is claimed again.
    assert.equal(receiver.received.length, 8, 'one attempt plus seven retries, no more');
    assert.equal(new Set(receiver.received.map((d) => d.webhookId)).size, 1, 'every retry carries the same webhook-id');
    const gaps = receiver.received.slice(1).map((d, i) => d.at - (receiver.received[i]?.at ?? 0));
    gaps.forEach((gap, i) => assert.ok(gap >= (FAST.retryScheduleMs?.[i] ?? 0) - 2, `retry ${i + 1} came after ${gap} ms`));
    const attempts = await fx.hub.admin.get<{ data: Array<{ outcome: string; responseExcerpt: string }> }>(`/v1/webhooks/${endpoint.id}/attempts`);
    assert.equal(attempts.data.length, 8);
    assert.ok(attempts.data.every((a) => a.outcome === 'retry' && a.responseExcerpt === 'boom'));
    const hook = await fx.hub.admin.get<{ failingSince: string | null; enabled: boolean }>(`/v1/webhooks/${endpoint.id}`);
    assert.ok(hook.failingSince, 'the failing streak is tracked');
    assert.equal(hook.enabled, true, 'a short streak does not disable');
  } finally {
    await fx.hub.admin.patch(`/v1/webhooks/${endpoint.id}`, { enabled: false });
    await receiver.close();
  }
});

test(`[${db}] 410 Gone disables the endpoint at once, audited, and later messages are not sent`, async () => {
  const { receiver, endpoint } = await withReceiver(() => ({ status: 410 }));
  try {
    await fx.raiseIncident();
    const hook = await until(async () => {
      const h = await fx.hub.admin.get<{ enabled: boolean; disabledReason: string | null }>(`/v1/webhooks/${endpoint.id}`);
      return h.enabled ? null : h;
    });
    assert.match(hook.disabledReason ?? '', /410/);
    await fx.raiseIncident();
    // The later message is kept for the disabled endpoint as a skipped delivery (recoverable), never sent.
    await until(async () => {
      const page = await fx.hub.admin.get<{ data: Array<{ status: string }> }>(`/v1/webhooks/${endpoint.id}/deliveries`);
      return page.data.some((d) => d.status === 'skipped');
    });
    assert.equal(receiver.received.length, 1);
    const audit = await fx.hub.admin.get<{ data: Array<{ action: string; subjectId: string }> }>('/v1/audit?limit=50');
    assert.ok(audit.data.some((r) => r.action === 'webhook.disabled' && r.subjectId === endpoint.id));
  } finally {
    await receiver.close();
  }
});

test(`[${db}] abort-message stops retries; 3xx is a failure and the redirect is not followed`, async () => {
  const target = await startWebhookReceiver();
  const { receiver, endpoint } = await withReceiver((_d, i) =>
    i === 0 ? { status: 307, headers: { location: target.url } } : { status: 500, headers: { 'webhook-delivery': 'abort-message' } });
  try {
    await fx.raiseIncident();
    const done = await until(async () => {
      const page = await fx.hub.admin.get<{ data: Array<{ status: string; attemptCount: number }> }>(`/v1/webhooks/${endpoint.id}/deliveries`);
      return page.data[0]?.status === 'aborted' ? page.data[0] : null;
    });
    assert.equal(done.attemptCount, 2);
    assert.equal(receiver.received.length, 2);
    assert.equal(target.received.length, 0, 'the redirect target was never contacted');
  } finally {
    await fx.hub.admin.patch(`/v1/webhooks/${endpoint.id}`, { enabled: false });
    await receiver.close();
    await target.close();
  }
});

test(`[${db}] Retry-After on 429 replaces the scheduled delay`, async () => {
  const { receiver, endpoint } = await withReceiver((_d, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 }));
  try {
    await fx.raiseIncident();
    await receiver.waitFor(2, 10_000);
    const [first, second] = receiver.received;
    assert.ok(second && first && second.at - first.at >= 950, `second attempt after ${second && first ? second.at - first.at : '?'} ms, schedule said 5 ms`);
  } finally {
    await fx.hub.admin.patch(`/v1/webhooks/${endpoint.id}`, { enabled: false });
    await receiver.close();
  }
});

test(`[${db}] after a rotation both secrets sign during the grace period; full payloads on request; resend keeps the webhook-id`, async () => {
  let secrets: string[] = [];
  const receiver = await startWebhookReceiver({ secrets: () => secrets });
  const endpoint = await fx.createEndpoint({ url: receiver.url, eventTypes: ['incident.created'], fullPayload: true, headers: { 'x-api-key': 'k1' } });
  try {
    const rotated = await fx.hub.admin.post<{ secret: string; previousSecretExpiresAt: string }>(`/v1/webhooks/${endpoint.id}/secret/rotate`, { graceSeconds: 3600 }, 200);
    assert.notEqual(rotated.secret, endpoint.secret);
    secrets = [endpoint.secret];
    await fx.raiseIncident();
    await receiver.waitFor(1);
    assert.equal(receiver.received[0]?.signature.split(' ').length, 2, 'two signatures during the grace period');
    assert.equal(receiver.received[0]?.headers['x-api-key'], 'k1');
    const data = (JSON.parse(receiver.received[0]?.body ?? '{}') as { data: Record<string, unknown> }).data;
    assert.equal(typeof data.confidence, 'number', 'full payload');
    secrets = [rotated.secret];
    const messageId = receiver.received[0]?.webhookId ?? '';
    await fx.hub.admin.post(`/v1/webhooks/${endpoint.id}/messages/${messageId}/resend`, {}, 202);
    await receiver.waitFor(2);
    assert.equal(receiver.received[1]?.webhookId, messageId);
    assert.equal(receiver.rejected.length, 0);
  } finally {
    await fx.hub.admin.patch(`/v1/webhooks/${endpoint.id}`, { enabled: false });
    await receiver.close();
  }
});

test(`[${db}] recover re-queues failed messages since a time, and is refused beyond the retention window`, async () => {
  let healthy = false;
  const { receiver, endpoint } = await withReceiver(() => (healthy ? { status: 200 } : { status: 503 }));
  try {
    const since = new Date(Date.now() - 1000).toISOString();
    await fx.raiseIncident();
    await until(async () => {
      const page = await fx.hub.admin.get<{ data: Array<{ status: string }> }>(`/v1/webhooks/${endpoint.id}/deliveries?status=failed`);
      return page.data.length === 1;
    });
    healthy = true;
    const before = receiver.received.length;
    const result = await fx.hub.admin.post<{ recovered: number }>(`/v1/webhooks/${endpoint.id}/recover`, { since }, 202);
    assert.equal(result.recovered, 1);
    await receiver.waitFor(before + 1);
    await fx.hub.admin.post(`/v1/webhooks/${endpoint.id}/recover`, { since: new Date(Date.now() - 30 * 86_400_000).toISOString() }, 422);
  } finally {
    await fx.hub.admin.patch(`/v1/webhooks/${endpoint.id}`, { enabled: false });
    await receiver.close();
  }
});

test(`[${db}] bad endpoint definitions get clear 400s`, async () => {
  await fx.hub.admin.post('/v1/webhooks', { url: 'ftp://x.example/', eventTypes: ['incident.created'] }, 400);
  await fx.hub.admin.post('/v1/webhooks', { url: 'https://x.example/', eventTypes: ['incident.exploded'] }, 400);
  await fx.hub.admin.post('/v1/webhooks', { url: 'https://x.example/', eventTypes: ['incident.created'], headers: { 'webhook-signature': 'forged' } }, 400);
  await fx.hub.admin.post('/v1/webhooks', { url: 'https://x.example/', eventTypes: ['incident.created'], format: 'servicenow' }, 400);
  const staff = fx.hub.admin.as(await fx.hub.createToken('store_staff', { storeIds: [fx.storeId] }));
  await staff.post('/v1/webhooks', { url: 'https://x.example/', eventTypes: ['incident.created'] }, 403);
});
