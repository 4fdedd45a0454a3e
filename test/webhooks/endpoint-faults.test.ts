import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startWebhookReceiver } from '../servers/webhook-receiver.js';
import { databaseLabel } from '../support/database.js';
import { FAST, until, webhookFixture, type WebhookFixture } from './support.js';

const db = databaseLabel();
let fx: WebhookFixture;
before(async () => {
  fx = await webhookFixture();
  // A "5 days" of 300 ms and a 300 ms answer deadline, so the faults play out in a second or two.
  fx.startWorker({ ...FAST, retryScheduleMs: [20, 20, 20], requestTimeoutMs: 300, disableAfterMs: 300 });
});
after(async () => fx.stop());

test(`[${db}] a receiver that hangs or resets is retried by the schedule; failing past the disable window disables the endpoint and tells the operations endpoint`, async () => {
  const ops = await startWebhookReceiver();
  const broken = await startWebhookReceiver({ reply: (_d, i) => (i % 2 === 0 ? { hang: true } : { reset: true }) });
  try {
    await fx.createEndpoint({ url: ops.url, eventTypes: ['endpoint.disabled'] });
    const endpoint = await fx.createEndpoint({ url: broken.url, eventTypes: ['incident.created'] });
    await fx.raiseIncident();
    await ops.waitFor(1, 20_000);
    const notice = JSON.parse(ops.received[0]?.body ?? '{}') as { type: string; data: { id: string; reason: string } };
    assert.equal(notice.type, 'endpoint.disabled');
    assert.equal(notice.data.id, endpoint.id);
    assert.match(notice.data.reason, /failing continuously since/);
    const hook = await fx.hub.admin.get<{ enabled: boolean }>(`/v1/webhooks/${endpoint.id}`);
    assert.equal(hook.enabled, false);
    await until(async () => {
      const page = await fx.hub.admin.get<{ data: Array<{ status: string }> }>(`/v1/webhooks/${endpoint.id}/deliveries`);
      return page.data[0]?.status !== 'pending';
    });
    const page = await fx.hub.admin.get<{ data: Array<{ statusCode: number | null; error: string; outcome: string }> }>(`/v1/webhooks/${endpoint.id}/attempts`);
    // Once disabled, the rest of the schedule is skipped without contacting the receiver.
    const attempts = page.data.filter((a) => a.outcome !== 'skipped');
    assert.ok(attempts.length >= 2 && attempts.every((a) => a.statusCode === null && a.outcome === 'retry'), JSON.stringify(page.data));
    assert.equal(broken.received.length, attempts.length);
    assert.ok(attempts.some((a) => /within 300 ms/.test(a.error)), 'a hang ends at the deadline');
    assert.ok(attempts.some((a) => /socket hang up|ECONNRESET/.test(a.error)), 'a reset is a failed attempt');
  } finally {
    await ops.close();
    await broken.close();
  }
});
