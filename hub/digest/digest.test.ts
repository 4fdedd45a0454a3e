import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { databaseLabel } from '../../test/support/database.js';
import { digestPlace, seedIncident, type DigestPlace, type SeedIncident } from '../../test/support/digest-seed.js';
import { startTestHub, type TestHub } from '../../test/support/hub.js';
import { DURATION_BOUNDS, durationBucket, rollUpAllAnalytics } from '../analytics/index.js';
import { digestContentSchema, lastClosedPeriod, publishDueDigests, type DigestContent } from './index.js';

const db = databaseLabel();
const DAY = 86_400_000;
// Wednesday 18 November 2026: the last closed ISO week is Monday 9 … Sunday 15 November, the one before from 2 November.
const NOW = new Date(Date.UTC(2026, 10, 18, 9, 30));
const WEEK = Date.UTC(2026, 10, 9);
const HOSTILE = '<script>alert("x")</script> & Co\'s';

let hub: TestHub;
let north: string;
let south: string;
let quiet: string;
const place = (regionId: string, name: string) => digestPlace(hub, regionId, name);
const incident = (p: DigestPlace, at: number, options: SeedIncident = {}) => seedIncident(hub, p, at, options);

before(async () => {
  hub = await startTestHub({ role: 'api' });
  north = (await hub.createRegion('North')).id;
  south = (await hub.createRegion('South')).id;
  const a = await place(north, HOSTILE);
  const b = await place(north, 'Store B');
  const c = await place(south, 'Store C');
  quiet = (await hub.createRegion('Quiet')).id;
  await incident(await place(quiet, 'Quiet store'), WEEK - 20 * DAY);
  // This week: A three (one laneless, one acknowledged after two minutes), B one; the week before: A one, B two. Not counted: a shadow
  // incident, South's, and incidents before the week before and in the current week.
  await incident(a, WEEK + 3600_000, { ackAfterSeconds: 120 });
  await incident(a, WEEK + 2 * DAY, { type: 'push_out' });
  await incident(a, WEEK + 7 * DAY - 1000, { laneless: true });
  await incident(b, WEEK + DAY, { type: 'push_out' });
  await incident(a, WEEK - 3 * DAY);
  await incident(b, WEEK - 1000);
  await incident(b, WEEK - 6 * DAY, { type: 'concealment' });
  await incident(a, WEEK + DAY, { shadow: true });
  await incident(c, WEEK + DAY);
  await incident(a, WEEK - 8 * DAY);
  await incident(a, WEEK + 7 * DAY);
  await hub.admin.post('/v1/webhooks', { url: 'https://hooks.example.com/digests', eventTypes: ['analytics.digest'] });
});
after(async () => hub.stop());

/** The reference: the same figures straight from the raw incidents table. */
async function rawCounts(column: 'store_id' | 'lane_id' | 'type', from: number, to: number): Promise<Map<string, number>> {
  const rows = await hub.db.knex('incidents').where({ tenant_id: hub.tenantId, region_id: north, shadow: false }).whereNotNull(column)
    .where('opened_at', '>=', new Date(from)).where('opened_at', '<', new Date(to)).groupBy(column).select(`${column} as key`).count('* as n') as Array<{ key: string; n: string | number }>;
  return new Map(rows.map((r) => [r.key, Number(r.n)]));
}

async function assertLinesMatchRaw(lines: DigestContent['topStores'], column: 'store_id' | 'lane_id' | 'type'): Promise<void> {
  const current = await rawCounts(column, WEEK, WEEK + 7 * DAY);
  const previous = await rawCounts(column, WEEK - 7 * DAY, WEEK);
  assert.deepEqual(new Set(lines.map((l) => l.key)), new Set(current.keys()), column);
  for (const line of lines) {
    assert.equal(line.incidents, current.get(line.key), `${column} ${line.key}`);
    assert.equal(line.previous, previous.get(line.key) ?? 0, `${column} ${line.key} before`);
    assert.equal(line.change, line.incidents - line.previous);
  }
}

const digestsOf = (regionId: string) => hub.db.knex('analytics_digests').where({ tenant_id: hub.tenantId, region_id: regionId });

test(`[${db}] the last closed period is the UTC day or the ISO week from Monday 00:00 UTC before the current one`, () => {
  const weekly = lastClosedPeriod('weekly', NOW);
  assert.equal(weekly.start.toISOString(), '2026-11-09T00:00:00.000Z');
  assert.equal(weekly.end.toISOString(), '2026-11-16T00:00:00.000Z');
  assert.equal(weekly.previousStart.toISOString(), '2026-11-02T00:00:00.000Z');
  assert.equal(lastClosedPeriod('weekly', new Date('2026-11-16T00:00:00Z')).start.toISOString(), '2026-11-09T00:00:00.000Z');
  const daily = lastClosedPeriod('daily', NOW);
  assert.equal(daily.start.toISOString(), '2026-11-17T00:00:00.000Z');
  assert.equal(daily.previousStart.toISOString(), '2026-11-16T00:00:00.000Z');
});

test(`[${db}] nothing is published while the roll-up has not folded the period's changes`, async () => {
  assert.equal(await publishDueDigests(hub.db.knex, () => NOW, hub.tenantId), 0);
  assert.equal((await digestsOf(north)).length, 0);
});

test(`[${db}] the weekly digest's figures equal those of the raw incidents; a second run publishes nothing more`, async () => {
  await rollUpAllAnalytics(hub.db.knex);
  assert.equal(await publishDueDigests(hub.db.knex, () => NOW, hub.tenantId), 2, 'one per region with incidents in the two weeks');
  assert.equal((await digestsOf(quiet)).length, 0, 'a region with nothing to compare gets none');
  assert.equal(await publishDueDigests(hub.db.knex, () => NOW, hub.tenantId), 0);
  const rows = await digestsOf(north) as Array<{ id: string; cadence: string; period_start: Date; content: unknown; html: string }>;
  assert.equal(rows.length, 1);
  const row = rows[0]!;
  assert.equal(row.cadence, 'weekly');
  assert.equal(new Date(row.period_start).toISOString(), '2026-11-09T00:00:00.000Z');
  const content = digestContentSchema.parse(row.content);
  assert.deepEqual(content.total, { incidents: 4, previous: 3, change: 1, changePercent: 33.3 });
  const raw = await rawCounts('store_id', WEEK, WEEK + 7 * DAY);
  assert.equal(content.total.incidents, [...raw.values()].reduce((s, n) => s + n, 0));
  await assertLinesMatchRaw(content.topStores, 'store_id');
  await assertLinesMatchRaw(content.topLanes, 'lane_id');
  await assertLinesMatchRaw(content.topTypes, 'type');
  assert.equal(content.topStores[0]?.label, HOSTILE);
  assert.equal(content.acknowledged, 1);
  assert.equal(content.medianAckSeconds, DURATION_BOUNDS[durationBucket(120)]);
  const messages = await hub.db.knex('webhook_messages').where({ tenant_id: hub.tenantId, event_type: 'analytics.digest', subject_id: row.id });
  assert.equal(messages.length, 1);
  assert.equal((await hub.db.knex('webhook_messages').where({ tenant_id: hub.tenantId, event_type: 'analytics.digest' })).length, 2);
  const audit = await hub.db.knex('audit_records').where({ tenant_id: hub.tenantId, action: 'analytics.digest.published', subject_id: row.id });
  assert.equal(audit.length, 1);
});

test(`[${db}] the HTML escapes a hostile store name and loads nothing`, async () => {
  const [row] = await digestsOf(north) as Array<{ html: string }>;
  const html = row!.html;
  assert.ok(!html.includes('<script'), 'no script element');
  assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co&#39;s'));
  assert.doesNotMatch(html, /\b(src|href)=|<link|<img|url\(/i, 'no external resources');
});

test(`[${db}] a tenant with digests off gets none; daily makes the day's`, async () => {
  await hub.db.knex('tenants').where({ id: hub.tenantId }).update({ settings: JSON.stringify({ digest: { cadence: 'off' } }) });
  assert.equal(await publishDueDigests(hub.db.knex, () => NOW, hub.tenantId), 0);
  await hub.db.knex('tenants').where({ id: hub.tenantId }).update({ settings: JSON.stringify({ digest: { cadence: 'daily' } }) });
  // On Wednesday 11 November the last closed day is the 10th (B's incident), compared with the 9th (A's).
  const dayNow = () => new Date(WEEK + 2 * DAY + 3600_000);
  assert.equal(await publishDueDigests(hub.db.knex, dayNow, hub.tenantId), 2);
  const [daily] = await digestsOf(north).where({ cadence: 'daily' }) as Array<{ content: unknown }>;
  const content = digestContentSchema.parse(daily!.content);
  assert.equal(content.periodStart, new Date(WEEK + DAY).toISOString());
  assert.equal(content.total.incidents, 1, 'B on the 10th (the shadow incident is not counted)');
  assert.equal(content.total.previous, 1, 'A on the 9th');
  await hub.db.knex('tenants').where({ id: hub.tenantId }).update({ settings: '{}' });
});

test(`[${db}] periods missed while the worker was down are made up, oldest first, only for regions that had digests`, async () => {
  await hub.db.knex('tenants').where({ id: hub.tenantId }).update({ settings: JSON.stringify({ digest: { cadence: 'weekly' } }) });
  // Two weeks later (Wednesday 2 December): the week of 16 November was missed, the week of 23 November is the last closed.
  const later = () => new Date(NOW.getTime() + 14 * DAY);
  const weeklyStarts = async (regionId: string) => (await digestsOf(regionId).where({ cadence: 'weekly' }).orderBy('period_start') as Array<{ period_start: Date }>)
    .map((r) => new Date(r.period_start).toISOString().slice(0, 10));
  assert.equal(await publishDueDigests(hub.db.knex, later, hub.tenantId), 3);
  assert.deepEqual(await weeklyStarts(north), ['2026-11-09', '2026-11-16', '2026-11-23'], 'North: the missed week, then the last one (A\'s incident of the 16th)');
  assert.deepEqual(await weeklyStarts(south), ['2026-11-09', '2026-11-16'], 'South: the missed week compares with C\'s incident; the last week has nothing to compare');
  assert.deepEqual(await weeklyStarts(quiet), [], 'a region that never had a digest gets no history');
  assert.equal(await publishDueDigests(hub.db.knex, later, hub.tenantId), 0);
  await hub.db.knex('tenants').where({ id: hub.tenantId }).update({ settings: '{}' });
});
