// bench:chain — a load model of a retail chain against one hub process on PostgreSQL: N stores (default
// 10,000, each with 20 cameras and 4 lanes) send what they send at the daily peak (detection events from
// each store's plugin, the central POS export, evidence metadata of new incidents, reviewers' actions;
// the hub's worker fans incidents out to a webhook receiver). The offered load steps up, store count by
// store count, until ingest p99 crosses 200 ms; the answer is how many stores one hub core serves, and
// what saturated first. Real HTTP to a real hub; the figures are measured, not computed.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { loadavg, cpus } from 'node:os';
import { createTenant } from '../hub/commands/tenant-creator.js';
import { connectDatabase, migrateUp } from '../hub/db/index.js';
import { ApiClient } from '../test/support/api-client.js';
import { DEFAULT_RATES, PEAK_FACTOR, PEAK_HOUR, perSecond, storeSteps } from './chain/model.js';
import { cpuSeconds, PgSampler } from './chain/probe.js';
import { seedChain, storeId } from './chain/seed.js';
import { ChainTraffic, KINDS, p, type Tokens } from './chain/traffic.js';
import { benchDatabase } from './support/bench-database.js';
import { profileFlags, spawnAndWait, stopChild } from './support/children.js';
import { bar, emit, printTable } from './support/report.js';

const STORES = Number(process.env.BENCH_STORES ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? 10);
const START_STORES = Number(process.env.BENCH_START_STORES ?? Math.max(100, Math.round(STORES / 10)));
const GROWTH = Number(process.env.BENCH_GROWTH ?? 1.6);
const FLUSH_MS = Number(process.env.BENCH_FLUSH_MS ?? 2000);
const P99_LIMIT_MS = 200;
/** The hub's pool size (VIGIL_DATABASE_POOL_MAX, default 10). */
const POOL_MAX = Number(process.env.VIGIL_DATABASE_POOL_MAX ?? 10);
const STORES_PER_TOKEN = 100;
const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface StepResult {
  stores: number;
  offeredEventsPerSecond: number;
  requestsPerSecond: number;
  ingestP50: number;
  ingestP99: number;
  p99: Record<string, number>;
  errors: number;
  shed: number;
  hubCpuPercent: number;
  benchCpuPercent: number;
  webhooksPerSecond: number;
  pg: Array<[string, number]>;
  firstErrors: string[];
}

/** A receiver for the webhook fan-out: answers 204, counts. */
async function receiver(): Promise<{ url: string; count: () => number; close: () => Promise<void> }> {
  let n = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      n += 1;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, count: () => n, close: () => new Promise((r) => server.close(() => r())) };
}

async function setUp(url: string): Promise<{ tenantId: string; adminToken: string }> {
  const db = connectDatabase({ databaseUrl: url, dataDir: 'memory' });
  try {
    await migrateUp(db.knex);
    const tenant = await createTenant(db.knex, 'Chain Retail');
    process.stderr.write(`seeding ${STORES} stores, ${STORES * 20} cameras, ${STORES * 4} lanes\n`);
    await seedChain(db.knex, tenant.tenant.id, STORES, (done) => process.stderr.write(`\r  ${bar(done, STORES, 30)} ${done}/${STORES} stores`));
    process.stderr.write('\n');
    return { tenantId: tenant.tenant.id, adminToken: tenant.adminToken };
  } finally {
    await db.close();
  }
}

async function mintTokens(admin: ApiClient, hookUrl: string): Promise<Tokens> {
  const plugin: string[] = [];
  for (let from = 0; from < STORES; from += STORES_PER_TOKEN) {
    const storeIds = Array.from({ length: Math.min(STORES_PER_TOKEN, STORES - from) }, (_, i) => storeId(from + i));
    plugin.push((await admin.post<{ token: string }>('/v1/tokens', { name: `plugins ${from}`, role: 'plugin', storeIds })).token);
  }
  const integrator = (await admin.post<{ token: string }>('/v1/tokens', { name: 'POS export', role: 'it_integrator' })).token;
  const reviewer = (await admin.post<{ token: string }>('/v1/tokens', { name: 'reviewers', role: 'central_reviewer' })).token;
  await admin.call('PUT', '/v1/webhook-settings', 200, { allowedSubnets: ['127.0.0.1/32'] });
  await admin.post('/v1/webhooks', { url: hookUrl, eventTypes: ['incident.created'] });
  return { plugin, storesPerToken: STORES_PER_TOKEN, integrator, reviewer };
}

async function runStep(hubUrl: string, hubPid: number, tokens: Tokens, stores: number, sampler: PgSampler, hook: { count: () => number }): Promise<StepResult> {
  const traffic = new ChainTraffic(hubUrl, tokens, DEFAULT_RATES, { stores, hour: PEAK_HOUR, flushMs: FLUSH_MS, maxInflight: 2048 });
  sampler.reset();
  const [hub0, bench0, hooks0, t0] = [cpuSeconds(hubPid), process.cpuUsage(), hook.count(), performance.now()];
  await traffic.run(STEP_SECONDS * 1000, 10_000);
  const elapsed = (performance.now() - t0) / 1000;
  const bench = process.cpuUsage(bench0);
  const s = traffic.stats;
  const sent = KINDS.reduce((n, k) => n + s.sent[k], 0);
  return {
    stores,
    offeredEventsPerSecond: s.events / STEP_SECONDS,
    requestsPerSecond: sent / STEP_SECONDS,
    ingestP50: p(s.latencies.events, 50),
    ingestP99: p(s.latencies.events, 99),
    p99: Object.fromEntries(KINDS.map((k) => [k, p(s.latencies[k], 99)])),
    errors: KINDS.reduce((n, k) => n + s.errors[k], 0),
    shed: s.shed,
    hubCpuPercent: (100 * (cpuSeconds(hubPid) - hub0)) / elapsed,
    benchCpuPercent: (100 * (bench.user + bench.system)) / 1e6 / elapsed,
    webhooksPerSecond: (hook.count() - hooks0) / elapsed,
    pg: sampler.summary(),
    firstErrors: KINDS.flatMap((k) => (s.firstError[k] ? [`${k}: ${s.firstError[k]}`] : [])),
  };
}

/** What saturated first, read from the step that crossed the limit (or the last one). */
function bottleneck(step: StepResult): string {
  const [top, busy] = step.pg[0] ?? ['', 0];
  const lockWaits = step.pg.filter(([k]) => k.startsWith('Lock:')).reduce((n, [, v]) => n + v, 0);
  if (step.hubCpuPercent >= 85) return `the hub process's one core (${step.hubCpuPercent.toFixed(0)} % CPU): per-request work (auth, validation, JSON, query building) in Node`;
  if (lockWaits >= 1) return `lock waits in PostgreSQL (${lockWaits.toFixed(1)} backends waiting on average)`;
  if (top === 'on CPU' && busy >= cpus().length * 0.7) return `PostgreSQL CPU (${busy.toFixed(1)} backends on CPU on average)`;
  if (top.startsWith('IO:') || top.startsWith('LWLock:WAL')) return `PostgreSQL I/O (${top})`;
  // Most of the pool held by open transactions whose next statement the hub has not sent yet: requests queue
  // for a connection while each transaction's round trips wait on the hub's event loop.
  if (top.startsWith('waiting for the hub') && busy >= POOL_MAX * 0.5) {
    return `the hub's database pool: ${busy.toFixed(1)} of its ${POOL_MAX} connections idle in transaction on average, waiting for the hub's next statement (round trips per request, behind one event loop at ${step.hubCpuPercent.toFixed(0)} % of a core that also runs the worker)`;
  }
  return `the machine: hub at ${step.hubCpuPercent.toFixed(0)} % of a core, load generator ${step.benchCpuPercent.toFixed(0)} %, load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores (the hub, PostgreSQL and the load share them)`;
}

function printStep(step: StepResult): void {
  const pg = step.pg.slice(0, 3).map(([k, n]) => `${k} ${n.toFixed(1)}`).join(', ') || 'idle';
  process.stdout.write(`${String(step.stores).padStart(6)} stores: ${step.offeredEventsPerSecond.toFixed(0)} ev/s offered, ${step.requestsPerSecond.toFixed(0)} req/s, `
    + `ingest p50 ${step.ingestP50.toFixed(1)} / p99 ${step.ingestP99.toFixed(1)} ms, pos p99 ${step.p99.pos?.toFixed(0)} ms, evidence p99 ${step.p99.evidence?.toFixed(0)} ms, review p99 ${step.p99.review?.toFixed(0)} ms, `
    + `webhooks ${step.webhooksPerSecond.toFixed(0)}/s, errors ${step.errors}, shed ${step.shed}, hub CPU ${step.hubCpuPercent.toFixed(0)} %, load gen CPU ${step.benchCpuPercent.toFixed(0)} %; PostgreSQL backends: ${pg}\n`);
  for (const e of step.firstErrors) process.stdout.write(`        first error ${e}\n`);
}

const failed = (step: StepResult): boolean => step.ingestP99 > P99_LIMIT_MS || step.errors + step.shed > 0.01 * Math.max(1, step.requestsPerSecond * STEP_SECONDS);

async function main(): Promise<void> {
  const database = await benchDatabase();
  const hook = await receiver();
  const { adminToken } = await setUp(database.url);
  const env = {
    ...process.env, DATABASE_URL: database.url, VIGIL_LOG_LEVEL: 'warn', VIGIL_ROLE: 'all', VIGIL_PORT: '0', VIGIL_RATE_LIMIT_IDENTITY: '0', VIGIL_RATE_LIMIT_TENANT: '0',
    VIGIL_WEBHOOK_ALLOWED_PRIVATE_RANGES: '127.0.0.1/32',
  };
  const hub = await spawnAndWait(process.execPath, [...profileFlags(), `${ROOT}bin/vigil.mjs`, 'hub'], env, (l) => /listening on (\S+)/.exec(l)?.[1] ?? null);
  const sampler = new PgSampler(database.url, new URL(database.url).pathname.slice(1));
  try {
    await sampler.start();
    const tokens = await mintTokens(new ApiClient(hub.value, adminToken), hook.url);
    const steps = storeSteps(START_STORES, GROWTH, STORES, Math.max(1, Math.floor(SECONDS / STEP_SECONDS)));
    const perStoreEvents = perSecond(DEFAULT_RATES.eventsPerDay, PEAK_HOUR);
    process.stdout.write(`\nbench:chain — up to ${STORES} stores at the daily peak (${PEAK_HOUR}:00, ${PEAK_FACTOR.toFixed(2)}x the daily mean): per store ${DEFAULT_RATES.eventsPerDay} events and ${DEFAULT_RATES.posPerDay} POS transactions a day `
      + `(${perStoreEvents.toFixed(3)} events/s at peak), plugins flushing every ${FLUSH_MS} ms; steps of ${STEP_SECONDS} s: ${steps.join(', ')} stores\n`);
    // A warm-up at the first step's load (not counted): JIT, caches, each token's first use.
    await new ChainTraffic(hub.value, tokens, DEFAULT_RATES, { stores: steps[0] ?? START_STORES, hour: PEAK_HOUR, flushMs: FLUSH_MS, maxInflight: 2048 }).run(5000, 10_000);
    process.stdout.write('warm-up done\n');
    const results: StepResult[] = [];
    for (const stores of steps) {
      const step = await runStep(hub.value, hub.child.pid ?? 0, tokens, stores, sampler, hook);
      results.push(step);
      printStep(step);
      if (failed(step)) break;
    }
    const served = results.filter((r) => !failed(r));
    const best = served[served.length - 1];
    const crossing = results.find(failed);
    const saturatedAt = crossing ?? results[results.length - 1]!;
    const storesPerCore = best?.stores ?? 0;
    const verdict = crossing ? bottleneck(crossing) : `not reached: ${STORES} stores were served with ingest p99 under ${P99_LIMIT_MS} ms (raise BENCH_STORES)`;
    printTable(`bench:chain — one hub process (one Node core) and PostgreSQL on ${cpus().length} shared cores, load average ${loadavg()[0]?.toFixed(1)}`, [
      ['stores served, ingest p99 < 200 ms', `${storesPerCore}${crossing ? '' : ' (the most offered)'}`, `${STORES} (a 10,000-store chain)`],
      ['events/s offered at that load (peak)', (best?.offeredEventsPerSecond ?? 0).toFixed(0), `${(perStoreEvents * STORES).toFixed(0)} for ${STORES} stores at peak`],
      ['requests/s at that load', (best?.requestsPerSecond ?? 0).toFixed(0), '-'],
      ['ingest p50 / p99 ms at that load', best ? `${best.ingestP50.toFixed(1)} / ${best.ingestP99.toFixed(1)}` : '-', `p99 < ${P99_LIMIT_MS}`],
      ['first bottleneck', crossing ? `at ${crossing.stores} stores` : '-', '-'],
    ]);
    process.stdout.write(`first bottleneck: ${verdict}\n`);
    process.stdout.write(`stores   ${bar(storesPerCore, STORES)} ${storesPerCore}\nchain    ${bar(STORES, STORES)} ${STORES}\n\n`);
    emit({
      bench: 'chain',
      metrics: {
        storesPerHubCore: storesPerCore, eventsPerSecondAtThatLoad: Math.round(best?.offeredEventsPerSecond ?? 0), requestsPerSecondAtThatLoad: Math.round(best?.requestsPerSecond ?? 0),
        ingestP99MsAtThatLoad: Number((best?.ingestP99 ?? Number.NaN).toFixed(1)), saturatedAtStores: crossing?.stores ?? 0, hubCpuPercentAtSaturation: Math.round(saturatedAt.hubCpuPercent),
      },
      baseline: { chainStores: STORES, ingestP99LimitMs: P99_LIMIT_MS },
      ratio: Number((storesPerCore / STORES).toFixed(3)),
      goal: `stores one hub core serves with ingest p99 < ${P99_LIMIT_MS} ms at the daily peak, and the first bottleneck (${verdict})`,
    });
  } finally {
    await sampler.stop().catch(() => undefined);
    await stopChild(hub.child);
    await hook.close();
    await database.drop();
  }
}

await main();
