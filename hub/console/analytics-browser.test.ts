import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildEvent } from '../../test/support/factories.js';
import { startTestHub, type TestHub } from '../../test/support/hub.js';
import { rollUpAllAnalytics } from '../analytics/index.js';
import { mintApiToken } from '../auth/api-tokens.js';
import { inTenant } from '../auth/oidc/tenant-transaction.js';
import { seedDemo, type DemoFixture } from '../auth/oidc/test-support/demo-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent (apt-get install -y chromium)`;
const HOUR = 3_600_000;
const TYPES = ['zone_dwell', 'concealment', 'scan_avoidance', 'sweethearting'] as const;

describe('console analytics in a real browser: the charts show the seeded numbers', { skip }, () => {
  let hub: TestHub;
  let demo: DemoFixture;
  let browser: Browser;
  const expected = { A: 1, C: 1 };
  let laneA = '';

  before(async () => {
    hub = await startTestHub({ identity: { devIdp: true } });
    demo = await seedDemo(hub);
    const { tenantId, stores } = demo.devIdp.directory;
    const storeIds = [stores.A001 as string, stores.C001 as string];
    const plugin = demo.admin.as(await inTenant(hub.db.knex, tenantId, async (trx) => (await mintApiToken(trx, { tenantId, role: 'plugin', name: 'test plugin', storeIds, createdBy: 'test' })).token));
    // Store A: 9 more incidents, store C: 4 more, hours apart (no merging), over the last days.
    const events = [];
    for (let n = 0; n < 13; n += 1) {
      const inA = n < 9;
      const occurredAt = new Date(Date.now() - (n * 7 + 3) * HOUR).toISOString();
      events.push(buildEvent({ cameraId: inA ? demo.cameras.A : demo.cameras.C, storeId: (inA ? stores.A001 : stores.C001) as string, type: TYPES[n % TYPES.length] ?? 'zone_dwell', occurredAt }));
      expected[inA ? 'A' : 'C'] += 1;
    }
    const ingest = await plugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events }, 200);
    // Two of store A's are resolved with an outcome, one dismissed.
    for (const [i, value] of [[0, 120], [1, 35.5]] as const) {
      const id = ingest.results[i]?.incidentId as string;
      for (const to of ['acknowledged', 'verified', 'intervened']) await demo.admin.post(`/v1/incidents/${id}/transitions`, { to }, 200);
      await demo.admin.post(`/v1/incidents/${id}/transitions`, { to: 'resolved', outcome: { result: 'recovered', recoveredValue: value, notes: 'goods returned' } }, 200);
    }
    await demo.admin.post(`/v1/incidents/${ingest.results[2]?.incidentId}/transitions`, { to: 'acknowledged' }, 200);
    await demo.admin.post(`/v1/incidents/${ingest.results[2]?.incidentId}/transitions`, { to: 'dismissed', reason: 'staff restocking' }, 200);
    // Two POS no-sales by operator op7 on a lane of store A, linked to two of its incidents (the POS tables as POS ingest leaves them).
    const knex = hub.db.knex;
    laneA = (await demo.admin.post<{ id: string }>('/v1/lanes', { storeId: stores.A001, name: 'Lane 9' })).id;
    for (const [n, result] of [[1, ingest.results[3]], [2, ingest.results[4]]] as const) {
      const at = new Date(Date.now() - (n * 7 + 3) * HOUR);
      const id = `ptx_browser${n}`;
      await knex('pos_transactions').insert({
        tenant_id: tenantId, id, occurred_at: new Date(at.toISOString().slice(0, 10)), pos_store_id: 'A001', workstation_id: '9', sequence_number: String(n), store_id: stores.A001,
        region_id: (await knex('stores').where({ tenant_id: tenantId, id: stores.A001 }).first() as { region_id: string }).region_id, lane_id: laneA, is_matched: true, begin_at: at,
        operator_id: 'op7', kind: 'control', exceptions: ['no_sale'], raw: JSON.stringify({}),
      });
      await knex('pos_incident_links').insert({ tenant_id: tenantId, pos_transaction_id: id, incident_id: result?.incidentId, lane_id: laneA, reason: 'same_lane_window' });
    }
    // Camera A was down 3 hours (an offline report, then its recovery, which resolves the outage as no_loss); it opens one incident of store A.
    const down = Date.parse(new Date(Date.now() - 12 * HOUR).toISOString().slice(0, 13) + ':00:00.000Z');
    const health = (state: string, at: number) => buildEvent({ cameraId: demo.cameras.A, storeId: stores.A001 as string, type: 'camera_health', severity: state === 'offline' ? 'high' : 'low',
      occurredAt: new Date(at).toISOString(), confidence: 1, rule: { name: 'camera_health' }, detections: [], attributes: { state } } as never);
    await plugin.post('/v1/events', { events: [health('offline', down), health('streaming', down + 3 * HOUR)] }, 200);
    expected.A += 1;
    await rollUpAllAnalytics(hub.db.knex);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });
  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  async function signIn(role: 'store_staff' | 'central_reviewer'): Promise<Page> {
    const account = demo.account(role);
    const page = await (await browser.newContext({ viewport: { width: 1300, height: 900 } })).newPage();
    await page.goto(`${hub.url}/console/analytics`);
    await page.waitForURL(/\/idp\/interaction\//, { timeout: 30_000 });
    await page.fill('#email', account.email);
    await page.fill('#password', account.password);
    await page.click('button[type=submit]');
    await page.waitForURL(`${hub.url}/console/analytics`, { timeout: 30_000 });
    return page;
  }

  const barValues = (page: Page, chart: string) =>
    page.$$eval(`#${chart} g.bar`, (gs) => Object.fromEntries(gs.map((g) => [g.getAttribute('data-key') ?? '', Number(g.getAttribute('data-value'))])));

  test('a central reviewer sees both stores with their incident counts, the outcomes and the recovered value', async () => {
    const page = await signIn('central_reviewer');
    try {
      const { stores } = demo.devIdp.directory;
      assert.deepEqual(await barValues(page, 'chart-by-store'), { [stores.A001 as string]: expected.A, [stores.C001 as string]: expected.C });
      const labels = await page.$$eval('#chart-by-store g.bar text.chart-value', (texts) => texts.map((t) => t.textContent));
      assert.deepEqual(labels, [String(expected.A), String(expected.C)]);
      assert.deepEqual(await barValues(page, 'chart-outcomes'), { recovered: 2, no_loss: 1 }, 'the camera outage was resolved by its recovery');
      assert.equal(await page.textContent('#recovered-total'), '155.50');
      const perDay = await barValues(page, 'chart-per-day');
      assert.equal(Object.values(perDay).reduce((sum: number, n) => sum + Number(n), 0), expected.A + expected.C);
      const heat = await page.$$eval('#chart-heatmap rect.heat', (rects) => rects.reduce((sum, r) => sum + Number(r.getAttribute('data-value')), 0));
      assert.equal(heat, expected.A + expected.C);
      const csv = await page.getAttribute('#by-store-h a.csv', 'href');
      assert.match(csv ?? '', /^\/v1\/analytics\/incidents\?.*by=store&format=csv$/);
      const download = await page.evaluate(async (href) => (await fetch(href, { credentials: 'same-origin' })).text(), csv ?? '');
      assert.ok(download.startsWith('bucket,key,label,incidents,events\r\n'));
      assert.ok(download.includes(`,${stores.A001},Demo Store A,${expected.A},`), download);
      assert.deepEqual(await barValues(page, 'chart-repeat-lanes'), { [`${stores.A001}/${laneA}`]: 2 });
      assert.deepEqual(await barValues(page, 'chart-repeat-operators'), { [`${stores.A001}/op7`]: 2 });
      assert.deepEqual(await barValues(page, 'chart-camera-downtime'), { [demo.cameras.A]: 3 }, 'camera A was down 3 hours');
      const storeHealth = await page.$$eval('#store-health tbody tr', (rows) => Object.fromEntries(rows.map((r) => [r.getAttribute('data-key') ?? '', [Number(r.getAttribute('data-downtime')), Number(r.getAttribute('data-outages'))]])));
      assert.deepEqual(storeHealth[stores.A001 as string], [3 * 3600, 1]);
      assert.deepEqual(storeHealth[stores.C001 as string], [0, 0]);
      const healthCsv = await page.getAttribute('#camera-health-h a.csv', 'href');
      const healthDownload = await page.evaluate(async (href) => (await fetch(href, { credentials: 'same-origin' })).text(), healthCsv ?? '');
      assert.ok(healthDownload.startsWith('camera_id,camera,store_id,store,region_id,lane_id,uptime,downtime_s,outages,longest_outage_s,current_state,'), healthDownload);
      assert.ok(healthDownload.includes(`${demo.cameras.A},`) && healthDownload.includes(',10800,1,10800,online,'), healthDownload);
      mkdirSync('docs/images', { recursive: true });
      await page.screenshot({ path: 'docs/images/analytics-dashboard.png', fullPage: true });
    } finally {
      await page.context().close();
    }
  });

  test('store staff of store A see store A alone; another store\'s filter is refused', async () => {
    const page = await signIn('store_staff');
    try {
      const { stores } = demo.devIdp.directory;
      assert.deepEqual(await barValues(page, 'chart-by-store'), { [stores.A001 as string]: expected.A });
      assert.deepEqual(await barValues(page, 'chart-repeat-operators'), { [`${stores.A001}/op7`]: 2 }, 'their own store\'s operators');
      assert.deepEqual(await page.$$eval('#store-health tbody tr', (rows) => rows.map((r) => r.getAttribute('data-key'))), [stores.A001], 'their own store\'s cameras');
      const refused = await page.goto(`${hub.url}/console/analytics?storeId=${stores.C001}`);
      assert.equal(refused?.status(), 404);
    } finally {
      await page.context().close();
    }
  });
});
