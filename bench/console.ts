// bench:console — the review console in Chromium over 1,000,000 incidents (PostgreSQL): a central reviewer's
// page load to the queue's first row, and the `v` key on an acknowledged incident to the verified state on
// screen. Beside each, in the same run, the API call underneath timed alone (the queue's first-page query,
// the transition POST), so the figures separate the console's cost from the query's.
// The first row counts when the browser painted it (Element Timing), not when the driver noticed it.
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

/** Where one queue load's time went, as the browser itself timed it (ms from the navigation's start). */
interface LoadTiming {
  wallMs: number; firstRowPaintMs: number; requestStartMs: number; responseStartMs: number; responseEndMs: number; domInteractiveMs: number;
  domContentLoadedMs: number; firstContentfulPaintMs: number; longTasks: number; longTaskMs: number;
  resources: Array<{ name: string; startMs: number; endMs: number }>;
}

// The browser's timeline, typed here because the bench program has Node's types, not the DOM's.
interface TimelineEntry { name: string; startTime: number; duration: number; identifier?: string; renderTime?: number; loadTime?: number; responseEnd?: number; requestStart?: number; responseStart?: number; domInteractive?: number; domContentLoadedEventEnd?: number }
interface BrowserTimeline {
  performance: { getEntriesByType(type: string): TimelineEntry[]; getEntriesByName(name: string): TimelineEntry[] };
  PerformanceObserver: new (callback: (list: { getEntries(): TimelineEntry[] }, observer: { disconnect(): void }) => void) => { observe(options: { type: string; buffered?: boolean }): void };
  __benchLongTasks?: number[];
}

/** Before any page script: long tasks are only observable from the start. */
function observeLongTasks(): void {
  const w = globalThis as unknown as BrowserTimeline;
  const tasks: number[] = [];
  w.__benchLongTasks = tasks;
  new w.PerformanceObserver((list) => {
    for (const entry of list.getEntries()) tasks.push(entry.duration);
  }).observe({ type: 'longtask' });
}

/** In the page: waits for the first queue row to be painted (Element Timing on the row's title cell), then reads the timeline. */
function readLoadTiming(): Promise<Omit<LoadTiming, 'wallMs'>> {
  const w = globalThis as unknown as BrowserTimeline;
  return new Promise((resolve) => {
    new w.PerformanceObserver((list, observer) => {
      const row = list.getEntries().find((e) => e.identifier === 'queue-row');
      if (!row) return;
      observer.disconnect();
      const nav = w.performance.getEntriesByType('navigation')[0];
      const fcp = w.performance.getEntriesByName('first-contentful-paint')[0];
      const longTasks = w.__benchLongTasks ?? [];
      resolve({
        firstRowPaintMs: row.renderTime || (row.loadTime ?? Number.NaN),
        requestStartMs: nav?.requestStart ?? Number.NaN, responseStartMs: nav?.responseStart ?? Number.NaN, responseEndMs: nav?.responseEnd ?? Number.NaN, domInteractiveMs: nav?.domInteractive ?? Number.NaN,
        domContentLoadedMs: nav?.domContentLoadedEventEnd ?? Number.NaN, firstContentfulPaintMs: fcp?.startTime ?? Number.NaN,
        longTasks: longTasks.length, longTaskMs: longTasks.reduce((sum, d) => sum + d, 0),
        resources: w.performance.getEntriesByType('resource').map((r) => ({ name: new URL(r.name).pathname, startMs: r.startTime, endMs: r.responseEnd ?? Number.NaN })),
      });
    }).observe({ type: 'element', buffered: true });
  });
}

/**
 * Page loads to the queue's first row painted. The figure is the browser's own: the Element Timing entry of
 * the first row's link (its first paint), from the navigation's start. Beside it the wall time the driver saw
 * (goto to the row attached in the DOM), which adds Playwright's polling and the IPC.
 */
async function queueLoads(page: Page, url: string): Promise<LoadTiming[]> {
  const samples: LoadTiming[] = [];
  for (let i = 0; i < LOADS + 2; i += 1) {
    const started = performance.now();
    await page.goto(`${url}/console`, { waitUntil: 'commit' });
    const timing = await Promise.race([page.evaluate(readLoadTiming), page.waitForTimeout(30_000).then(() => { throw new Error('the first queue row was not painted within 30 s'); })]);
    const wallMs = performance.now() - started;
    if (i >= 2) samples.push({ ...timing, wallMs }); // two warm-up loads
    process.stderr.write(`\rqueue loads ${bar(i + 1, LOADS + 2, 20)} ${timing.firstRowPaintMs.toFixed(0)} ms  `);
  }
  process.stderr.write('\n');
  return samples;
}

/** The median of each step of the loads, and the requests the page made before its first row was painted. */
function loadBreakdown(loads: LoadTiming[]): Array<[string, string, string]> {
  const median = (pick: (l: LoadTiming) => number) => percentile(sorted(loads.map(pick)), 50).toFixed(1);
  const before = new Map<string, number>();
  for (const l of loads) for (const r of l.resources) if (r.startMs < l.firstRowPaintMs) before.set(r.name, (before.get(r.name) ?? 0) + 1);
  return [
    ['  request start p50', `${median((l) => l.requestStartMs)} ms`, 'navigation start to the request sent'],
    ['  response start (TTFB) p50', `${median((l) => l.responseStartMs)} ms`, '-'],
    ['  response end p50', `${median((l) => l.responseEndMs)} ms`, '-'],
    ['  DOM interactive p50', `${median((l) => l.domInteractiveMs)} ms`, '-'],
    ['  first contentful paint p50', `${median((l) => l.firstContentfulPaintMs)} ms`, '-'],
    ['  DOMContentLoaded end p50', `${median((l) => l.domContentLoadedMs)} ms`, '-'],
    ['  long tasks per load p50 (total ms)', `${median((l) => l.longTasks)} (${median((l) => l.longTaskMs)} ms)`, '-'],
    ['  driver wall time to row painted p50', `${median((l) => l.wallMs)} ms`, 'goto + evaluate, Playwright IPC included'],
    ['  requests started before the first row painted', [...before].map(([n, c]) => `${n} ×${c}`).join(', ') || 'none', '-'],
  ];
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
      await context.addInitScript(observeLongTasks);
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

function report(timings: LoadTiming[], keys: number[], api: { list: number[]; page: number[]; transition: number[] }): void {
  const loads = sorted(timings.map((t) => t.firstRowPaintMs));
  const p = (s: number[], n: number) => Number(percentile(s, n).toFixed(1));
  const verdict = (value: number, goal: number) => `${value} ms (goal < ${goal} ms: ${value < goal ? 'met' : 'NOT met'})`;
  printTable(`bench:console — ${INCIDENTS.toLocaleString()} incidents, ${STORES} stores, PostgreSQL, Chromium headless, central reviewer, ${LOADS} samples each`, [
    ['queue load to first row painted p50', `${p(loads, 50)} ms`, `${p(api.list, 50)} ms (GET /v1/incidents?sort=severity&limit=25 alone)`],
    ['queue load to first row painted p95', verdict(p(loads, 95), 300), `${p(api.list, 95)} ms`],
    ...loadBreakdown(timings),
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
