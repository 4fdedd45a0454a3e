// bench:console — the review console in Chromium over 1,000,000 incidents (PostgreSQL): a central reviewer's
// page load to the queue's first row, and the `v` key on an acknowledged incident to the verified state on
// screen. Beside each, in the same run, the API call underneath timed alone (the queue's first-page query,
// the transition POST), so the figures separate the console's cost from the query's.
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import { chromium, type Page } from 'playwright-core';
import { createTenant } from '../hub/commands/tenant-creator.js';
import { connectDatabase, migrateUp } from '../hub/db/index.js';
import { inTenant } from '../hub/auth/oidc/tenant-transaction.js';
import { createSession, SESSION_COOKIE } from '../hub/auth/oidc/sessions.js';
import { benchDatabase } from './support/bench-database.js';
import { profileFlags, spawnAndWait, stopChild } from './support/children.js';
import { bar, emit, percentile, printTable } from './support/report.js';

const INCIDENTS = Number(process.env.BENCH_INCIDENTS ?? 1_000_000);
const STORES = 200;
const REGIONS = 10;
const LOADS = Number(process.env.BENCH_LOADS ?? 20);
const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pad = (prefix: string, n: string) => `'${prefix}_' || lpad(${n}::text, 26, '0')`;

/** Set-based: regions, stores, a camera per store, then the incidents in chunks of 200,000 (severities and states mixed). */
async function seed(knex: Knex, tenantId: string): Promise<void> {
  const t0 = performance.now();
  await knex.raw(`INSERT INTO regions (tenant_id, id, name) SELECT ?, ${pad('reg', 'r')}, 'Region ' || r FROM generate_series(1, ${REGIONS}) r`, [tenantId]);
  await knex.raw(`INSERT INTO stores (tenant_id, id, region_id, name, code, timezone)
    SELECT ?, ${pad('sto', 's')}, ${pad('reg', `(1 + s % ${REGIONS})`)}, 'Store ' || s, 'S' || s, 'Europe/Berlin' FROM generate_series(1, ${STORES}) s`, [tenantId]);
  await knex.raw(`INSERT INTO cameras (tenant_id, id, store_id, name) SELECT ?, ${pad('cam', 's')}, ${pad('sto', 's')}, 'Lane camera ' || s FROM generate_series(1, ${STORES}) s`, [tenantId]);
  const chunk = 200_000;
  for (let start = 1; start <= INCIDENTS; start += chunk) {
    const end = Math.min(INCIDENTS, start + chunk - 1);
    await knex.raw(`INSERT INTO incidents (tenant_id, id, store_id, region_id, camera_id, type, severity, state, confidence, event_count, opened_at, last_event_at)
      SELECT ?, ${pad('inc', 'i')}, ${pad('sto', `(1 + i % ${STORES})`)}, ${pad('reg', `(1 + (1 + i % ${STORES}) % ${REGIONS})`)}, ${pad('cam', `(1 + i % ${STORES})`)},
             (ARRAY['zone_dwell','concealment','scan_avoidance'])[1 + i % 3], (ARRAY['low','medium','high','critical'])[1 + (i / 7) % 4],
             (ARRAY['new','acknowledged','verified','dismissed','resolved'])[1 + i % 5], 0.8, 1,
             now() - (i || ' seconds')::interval, now() - (i || ' seconds')::interval
        FROM generate_series(?::int, ?::int) i`, [tenantId, start, end]);
    process.stderr.write(`\rseeding incidents ${bar(end, INCIDENTS, 30)} ${end.toLocaleString()}/${INCIDENTS.toLocaleString()}`);
  }
  process.stderr.write('\nanalyzing…\n');
  await knex.raw('ANALYZE');
  process.stderr.write(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

/** A central reviewer (sees every store) with a console session, as the OIDC login would leave it. */
async function reviewerSession(knex: Knex, tenantId: string): Promise<string> {
  return inTenant(knex, tenantId, async (trx) => {
    await trx('users').insert({ tenant_id: tenantId, id: 'usr_'.concat('b'.repeat(26)), email: 'reviewer@bench.test', name: 'Bench Reviewer', role: 'central_reviewer', provisioned_by: 'admin' });
    return (await createSession(trx, { tenantId, userId: 'usr_'.concat('b'.repeat(26)), ttlSeconds: 3600, idToken: null })).cookie;
  });
}

/** Acknowledged incidents (the state `v` verifies from), newest first. */
async function acknowledged(knex: Knex, tenantId: string, count: number): Promise<string[]> {
  const rows = await inTenant(knex, tenantId, (trx) => trx('incidents').where({ tenant_id: tenantId, state: 'acknowledged' }).orderBy('id', 'desc').limit(count).select('id'));
  return rows.map((r: { id: string }) => r.id);
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);

async function queueLoads(page: Page, url: string): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < LOADS + 2; i += 1) {
    const ms = await timed(async () => {
      await page.goto(`${url}/console`, { waitUntil: 'commit' });
      // 'attached', not the default 'visible': Playwright checks visibility on animation frames, which headless
      // Chromium throttles to about one a second, so 'visible' measures the polling rather than the page.
      await page.waitForSelector('#incidents tbody tr[data-incident]', { state: 'attached' });
    });
    if (i >= 2) samples.push(ms); // two warm-up loads
    process.stderr.write(`\rqueue loads ${bar(i + 1, LOADS + 2, 20)} ${ms.toFixed(0)} ms  `);
  }
  process.stderr.write('\n');
  return sorted(samples);
}

async function verifyKeypresses(page: Page, url: string, ids: string[]): Promise<number[]> {
  const samples: number[] = [];
  for (const [n, id] of ids.entries()) {
    await page.goto(`${url}/console/incidents/${id}`);
    await page.waitForSelector('body[data-ready=true]');
    await page.locator('body').focus();
    samples.push(await timed(async () => {
      await page.keyboard.press('v');
      await page.locator('[data-field=state]:text-is("verified")').waitFor({ state: 'attached' });
    }));
    process.stderr.write(`\rkey v ${bar(n + 1, ids.length, 20)} ${samples[samples.length - 1]?.toFixed(0)} ms  `);
  }
  process.stderr.write('\n');
  return sorted(samples);
}

/** The same API calls without the browser: the queue's first-page query and the transition, with the session cookie. */
async function apiBaselines(url: string, cookie: string, ids: string[]): Promise<{ list: number[]; page: number[]; transition: number[] }> {
  const headers = { cookie: `${SESSION_COOKIE}=${cookie}`, accept: 'application/json' };
  const list: number[] = [];
  for (let i = 0; i < LOADS + 2; i += 1) {
    const ms = await timed(async () => {
      const response = await fetch(`${url}/v1/incidents?sort=severity&limit=25`, { headers });
      if (!response.ok) throw new Error(`GET /v1/incidents answered ${response.status}`);
      await response.json();
    });
    if (i >= 2) list.push(ms);
  }
  const page: number[] = [];
  for (let i = 0; i < LOADS + 2; i += 1) {
    const ms = await timed(async () => {
      const response = await fetch(`${url}/console`, { headers: { cookie: headers.cookie } });
      if (!response.ok) throw new Error(`GET /console answered ${response.status}`);
      await response.text();
    });
    if (i >= 2) page.push(ms);
  }
  const transition: number[] = [];
  for (const id of ids) {
    transition.push(await timed(async () => {
      const response = await fetch(`${url}/v1/incidents/${id}/transitions`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json', origin: url }, body: JSON.stringify({ to: 'verified' }) });
      if (!response.ok) throw new Error(`POST transitions answered ${response.status}: ${await response.text()}`);
    }));
  }
  return { list: sorted(list), page: sorted(page), transition: sorted(transition) };
}

async function main(): Promise<void> {
  const database = await benchDatabase();
  const db = connectDatabase({ databaseUrl: database.url, dataDir: 'memory', poolMax: 4 });
  let hub: Awaited<ReturnType<typeof spawnAndWait>> | null = null;
  try {
    await migrateUp(db.knex);
    const tenant = await createTenant(db.knex, 'Console Bench Retail');
    const tenantId = tenant.tenant.id;
    await seed(db.knex, tenantId);
    const cookie = await reviewerSession(db.knex, tenantId);
    const ids = await acknowledged(db.knex, tenantId, LOADS * 2);
    const env = { ...process.env, DATABASE_URL: database.url, VIGIL_LOG_LEVEL: 'warn', VIGIL_ROLE: 'api', VIGIL_PORT: '0', VIGIL_DEV_IDP: '1', VIGIL_RATE_LIMIT_IDENTITY: '0', VIGIL_RATE_LIMIT_TENANT: '0' };
    hub = await spawnAndWait(process.execPath, [...profileFlags(), `${ROOT}bin/vigil.mjs`, 'hub'], env, (l) => /listening on (\S+)/.exec(l)?.[1] ?? null);
    const url = hub.value.replace(/\/$/, '');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      const context = await browser.newContext();
      await context.addCookies([{ name: SESSION_COOKIE, value: cookie, url }]);
      const page = await context.newPage();
      const loads = await queueLoads(page, url);
      const keys = await verifyKeypresses(page, url, ids.slice(0, LOADS));
      const api = await apiBaselines(url, cookie, ids.slice(LOADS));
      report(loads, keys, api);
    } finally {
      await browser.close();
    }
  } finally {
    if (hub) await stopChild(hub.child);
    await db.close();
    await database.drop();
  }
}

function report(loads: number[], keys: number[], api: { list: number[]; page: number[]; transition: number[] }): void {
  const p = (s: number[], n: number) => Number(percentile(s, n).toFixed(1));
  const verdict = (value: number, goal: number) => `${value} ms (goal < ${goal} ms: ${value < goal ? 'met' : 'NOT met'})`;
  printTable(`bench:console — ${INCIDENTS.toLocaleString()} incidents, ${STORES} stores, PostgreSQL, Chromium headless, central reviewer, ${LOADS} samples each`, [
    ['queue load to first row p50', `${p(loads, 50)} ms`, `${p(api.list, 50)} ms (GET /v1/incidents?sort=severity&limit=25 alone)`],
    ['queue load to first row p95', verdict(p(loads, 95), 300), `${p(api.list, 95)} ms`],
    ['queue HTML from the hub (no browser) p50 / p95', `${p(api.page, 50)} / ${p(api.page, 95)} ms`, '-'],
    ['key v to "verified" shown p50', `${p(keys, 50)} ms`, `${p(api.transition, 50)} ms (POST …/transitions alone)`],
    ['key v to "verified" shown p95', verdict(p(keys, 95), 150), `${p(api.transition, 95)} ms`],
  ]);
  const max = Math.max(p(loads, 50), p(api.list, 50));
  process.stdout.write(`queue page  ${bar(p(loads, 50), max)}\nAPI alone   ${bar(p(api.list, 50), max)}\n\n`);
  emit({
    bench: 'console',
    metrics: { queueLoadP50Ms: p(loads, 50), queueLoadP95Ms: p(loads, 95), verifyKeyP50Ms: p(keys, 50), verifyKeyP95Ms: p(keys, 95) },
    baseline: { listApiP50Ms: p(api.list, 50), listApiP95Ms: p(api.list, 95), queueHtmlP50Ms: p(api.page, 50), queueHtmlP95Ms: p(api.page, 95), transitionApiP50Ms: p(api.transition, 50), transitionApiP95Ms: p(api.transition, 95) },
    ratio: Number((p(loads, 50) / p(api.list, 50)).toFixed(2)),
    goal: 'queue load to first row p95 < 300 ms; key v to the new state shown p95 < 150 ms (ratio: queue page p50 over its first-page API query p50)',
  });
}

await main();
