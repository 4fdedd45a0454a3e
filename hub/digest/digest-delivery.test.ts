import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startWebhookReceiver } from '../../test/servers/webhook-receiver.js';
import { databaseLabel } from '../../test/support/database.js';
import { digestPlace, seedIncident } from '../../test/support/digest-seed.js';
import { FAST, webhookFixture, type WebhookFixture } from '../../test/webhooks/support.js';
import { rollUpAllAnalytics } from '../analytics/index.js';
import { publishDueDigests } from './index.js';

const db = databaseLabel();
const NOW = new Date(Date.UTC(2026, 10, 18, 9, 30));
const WEEK = Date.UTC(2026, 10, 9);

let fx: WebhookFixture;
before(async () => {
  fx = await webhookFixture();
  fx.startWorker(FAST);
});
after(async () => fx.stop());

test(`[${db}] an endpoint subscribed to analytics.digest receives each region's digest once, signed (svix and standardwebhooks verify it)`, async () => {
  let secrets: string[] = [];
  const receiver = await startWebhookReceiver({ secrets: () => secrets });
  try {
    const endpoint = await fx.createEndpoint({ url: receiver.url, eventTypes: ['analytics.digest'], fullPayload: true });
    secrets = [endpoint.secret];
    const region = (await fx.hub.createRegion('Digest region')).id;
    const place = await digestPlace(fx.hub, region, 'Digest store');
    await seedIncident(fx.hub, place, WEEK + 3_600_000);
    await rollUpAllAnalytics(fx.hub.db.knex);
    const published = await publishDueDigests(fx.hub.db.knex, () => NOW, fx.hub.tenantId);
    assert.ok(published >= 1);
    assert.equal(await publishDueDigests(fx.hub.db.knex, () => NOW, fx.hub.tenantId), 0, 'a rerun publishes nothing');
    await receiver.waitFor(published);
    const payloads = receiver.received.map((d) => ({ verified: d.isVerified, ...(JSON.parse(d.body) as { type: string; data: Record<string, unknown> }) }));
    assert.ok(payloads.every((p) => p.verified && p.type === 'analytics.digest'));
    const ours = payloads.filter((p) => p.data.regionId === region);
    assert.equal(ours.length, 1);
    const data = ours[0]!.data as { id: string; cadence: string; periodStart: string; total: { incidents: number }; links: Record<string, string> };
    assert.equal(data.cadence, 'weekly');
    assert.equal(data.periodStart, '2026-11-09T00:00:00.000Z');
    assert.equal(data.total.incidents, 1);
    assert.equal(data.links.html, `https://vigil.example/v1/analytics/digests/${data.id}/html`);
  } finally {
    await receiver.close();
  }
});
