// bench:ingest — detection events per second through POST /v1/events (batches of 100, authenticated, with
// incident merge and audit) on PostgreSQL, beside a bare Koa route inserting the same rows with one INSERT.
// Paired rounds: each round runs the baseline and the hub on the same work, in alternating order (so
// neither always gets the colder cache), then the hub at half its rate of that round; medians are reported.
import { fileURLToPath } from 'node:url';
import { newId } from '../contracts/index.js';
import { createTenant } from '../hub/commands/tenant-creator.js';
import { connectDatabase, migrateUp } from '../hub/db/index.js';
import { ApiClient } from '../test/support/api-client.js';
import { benchDatabase } from '../bench/support/bench-database.js';
import { profileFlags, spawnAndWait, stopChild } from '../bench/support/children.js';
import { execSync, spawn } from 'node:child_process';
import { cpuMeter, type CpuMeter, type CpuSample } from '../bench/support/cpu-meter.js';
import { bar, emit, percentile, printTable } from '../bench/support/report.js';

const BATCH = 100;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Target {
  url: string;
  token?: string;
  /** The time of this target's latest event, in ms. */
  clock: number;
}

interface Phase {
  eventsPerSecond: number;
  latencies: number[];
  /** CPU of the serving process and of PostgreSQL per batch of the phase, in ms (null off Linux). */
  cpu: CpuSample | null;
}

interface Round {
  engine: Phase;
  baseline: Phase;
  halfRate: number;
  half: number[];
}

const cpuText = (cpu: CpuSample | null): string => (cpu ? `${cpu.processMs.toFixed(2)} ms process + ${cpu.databaseMs.toFixed(2)} ms PostgreSQL` : 'n/a');

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** One store's plugin: its store, its cameras and its service token. */
interface Fixture {
  storeId: string;
  cameraIds: string[];
  token: string;
}

// Recent events, as plugins send them: they land in the current month's partition (as the baseline's do),
// not in the default partition that only late stragglers reach. Each target keeps a clock of its own that
// starts 12 hours back and steps 25 ms an event (0.5 s between one camera's events), so however fast the
// baseline runs, neither target's events reach the future, where the hub refuses events dated more than a
// day ahead (a refused event costs almost nothing, which would flatter the hub).
const EVENT_STEP_MS = 25;

function batch(target: Target, fixture: Fixture): string {
  const events = Array.from({ length: BATCH }, (_, i) => {
    target.clock += EVENT_STEP_MS;
    const clock = target.clock;
    const at = new Date(clock).toISOString();
    return {
      id: newId('event', clock), cameraId: fixture.cameraIds[i % fixture.cameraIds.length], storeId: fixture.storeId,
      type: i % 3 === 0 ? 'concealment' : 'zone_dwell', severity: 'medium', occurredAt: at, confidence: 0.7 + (i % 3) / 10,
      rule: { name: 'zone_dwell', version: '1' }, detections: [{ label: 'person', score: 0.8, box: [0.1, 0.2, 0.3, 0.7], trackId: i }],
    };
  });
  return JSON.stringify({ events });
}

async function post(target: Target, body: string, token?: string): Promise<number> {
  const started = performance.now();
  const bearer = target.token === undefined ? undefined : token;
  const response = await fetch(`${target.url}/v1/events`, {
    method: 'POST', body, headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
  });
  const answer = await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`POST /v1/events answered ${response.status}`);
  // The hub answers per event: a batch it refused in part would be cheaper work than the baseline's.
  if (bearer && (JSON.parse(Buffer.from(answer).toString('utf8')) as { rejected: number }).rejected > 0) throw new Error('the hub refused events of a bench batch');
  return performance.now() - started;
}

/** maxRate under a CPU meter: the CPU of the target's process and of PostgreSQL, per batch. */
async function meteredMaxRate(label: string, target: Target, fixtures: Fixture[], meter: CpuMeter): Promise<Phase> {
  const { result, cpu } = await meter.measure(() => maxRate(label, target, fixtures));
  const batches = result.latencies.length;
  return { ...result, cpu: cpu && batches > 0 ? { processMs: cpu.processMs / batches, databaseMs: cpu.databaseMs / batches } : null };
}

/** Closed loop: CONCURRENCY clients post back to back for SECONDS. */
async function maxRate(label: string, target: Target, fixtures: Fixture[]): Promise<{ eventsPerSecond: number; latencies: number[] }> {
  const latencies: number[] = [];
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  const ticker = setInterval(() => {
    const rate = (latencies.length * BATCH) / ((performance.now() - started) / 1000);
    process.stderr.write(`${process.stderr.isTTY ? '\r' : '\n'}${label.padEnd(10)} ${bar(performance.now() - started, SECONDS * 1000, 30)} ${Math.round(rate)} events/s   `);
  }, 500);
  // Each client is one store's plugin posting its own cameras' events, as in a chain of stores.
  await Promise.all(fixtures.map(async (fixture) => {
    while (performance.now() < deadline) latencies.push(await post(target, batch(target, fixture), fixture.token));
  }));
  clearInterval(ticker);
  process.stderr.write('\n');
  const elapsed = (performance.now() - started) / 1000;
  return { eventsPerSecond: (latencies.length * BATCH) / elapsed, latencies: latencies.sort((a, b) => a - b) };
}

/** Open loop at a fixed request rate, so latency is measured below saturation. */
async function atRate(target: Target, fixtures: Fixture[], batchesPerSecond: number): Promise<number[]> {
  const latencies: number[] = [];
  const inflight: Array<Promise<void>> = [];
  const interval = 1000 / batchesPerSecond;
  const started = performance.now();
  for (let i = 0; performance.now() - started < SECONDS * 1000; i += 1) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const fixture = fixtures[i % fixtures.length]!;
    inflight.push(post(target, batch(target, fixture), fixture.token).then((ms) => void latencies.push(ms)));
  }
  await Promise.all(inflight);
  return latencies.sort((a, b) => a - b);
}

async function setUp(url: string): Promise<{ adminToken: string }> {
  const db = connectDatabase({ databaseUrl: url, dataDir: 'memory' });
  await migrateUp(db.knex);
  const tenant = await createTenant(db.knex, 'Bench Retail');
  await db.close();
  return { adminToken: tenant.adminToken };
}

async function main(): Promise<void> {
  const database = await benchDatabase();
  const env = { ...process.env, DATABASE_URL: database.url, VIGIL_LOG_LEVEL: 'warn', VIGIL_ROLE: 'api', VIGIL_PORT: '0', VIGIL_RATE_LIMIT_IDENTITY: '0', VIGIL_RATE_LIMIT_TENANT: '0' };
  const { adminToken } = await setUp(database.url);
  const hub = await spawnAndWait(process.execPath, [...profileFlags(), `${ROOT}bin/vigil.mjs`, 'hub'], env, (l) => /listening on (\S+)/.exec(l)?.[1] ?? null);
  const bare = await spawnAndWait(process.execPath, ['--import', 'tsx', `${ROOT}bench/support/bare-ingest-server.ts`], env, (l) => (l.startsWith('{"port"') ? `http://127.0.0.1:${(JSON.parse(l) as { port: number }).port}` : null));
  try {
    const admin = new ApiClient(hub.value, adminToken);
    const region = await admin.post<{ id: string }>('/v1/regions', { name: 'Bench' });
    const fixtures: Fixture[] = [];
    for (let s = 0; s < CONCURRENCY; s += 1) {
      const store = await admin.post<{ id: string }>('/v1/stores', { regionId: region.id, name: `Bench store ${s}`, code: `B${s}`, timezone: 'UTC' });
      const cameraIds: string[] = [];
      for (let i = 0; i < 20; i += 1) cameraIds.push((await admin.post<{ id: string }>('/v1/cameras', { storeId: store.id, name: `Lane ${i}` })).id);
      const token = (await admin.post<{ token: string }>('/v1/tokens', { name: `plugin ${s}`, role: 'plugin', storeIds: [store.id] })).token;
      fixtures.push({ storeId: store.id, cameraIds, token });
    }
    const start = Date.now() - 12 * 3600_000;
    const vigil: Target = { url: hub.value, token: 'per-store', clock: start };
    const baselineTarget: Target = { url: bare.value, clock: start };
    await post(vigil, batch(vigil, fixtures[0]!), fixtures[0]!.token);
    await post(baselineTarget, batch(baselineTarget, fixtures[0]!));
    await maxRate('warm', vigil, fixtures);
    const pids = execSync(`psql -h 127.0.0.1 -U postgres -Atc "select pid from pg_stat_activity where datname = '${new URL(database.url).pathname.slice(1)}'" test`).toString().trim().split('\n').join(',');
    const perf = spawn('perf', ['record', '-F', '999', '-g', '-o', '/tmp/perf.data', '-p', `${pids},${hub.child.pid}`], { stdio: 'inherit' });
    const r = await maxRate('vigil', vigil, fixtures);
    perf.kill('SIGINT');
    await new Promise((res) => perf.on('exit', res));
    process.stdout.write(`rate ${r.eventsPerSecond}\n`);
    return;
    const med = (pick: (r: Round) => number) => median(rounds.map(pick));
    const measured = { eventsPerSecond: med((r) => r.engine.eventsPerSecond), p50: med((r) => percentile(r.engine.latencies, 50)), p99: med((r) => percentile(r.engine.latencies, 99)) };
    const baseline = { eventsPerSecond: med((r) => r.baseline.eventsPerSecond), p50: med((r) => percentile(r.baseline.latencies, 50)), p99: med((r) => percentile(r.baseline.latencies, 99)) };
    const half = { rate: med((r) => r.halfRate), p50: med((r) => percentile(r.half, 50)), p99: med((r) => percentile(r.half, 99)) };
    const ratio = med((r) => r.engine.eventsPerSecond / r.baseline.eventsPerSecond);
    const fmt = (n: number) => n.toFixed(1);
    const cpu = (side: 'engine' | 'baseline', part: keyof CpuSample) => med((r) => r[side].cpu?.[part] ?? Number.NaN);
    printTable(`bench:ingest — PostgreSQL, batches of ${BATCH}, ${CONCURRENCY} stores posting at once, ${ROUNDS} paired rounds of ${SECONDS} s per phase (medians)`, [
      ['events/s (max)', fmt(measured.eventsPerSecond), fmt(baseline.eventsPerSecond)],
      ['request p50 ms (saturated)', fmt(measured.p50), fmt(baseline.p50)],
      ['request p99 ms (saturated)', fmt(measured.p99), fmt(baseline.p99)],
      [`request p50 ms @ half rate (${fmt(half.rate * BATCH)} ev/s)`, fmt(half.p50), '-'],
      [`request p99 ms @ half rate`, fmt(half.p99), '-'],
      ['CPU ms per batch, serving process', cpu('engine', 'processMs').toFixed(2), cpu('baseline', 'processMs').toFixed(2)],
      ['CPU ms per batch, PostgreSQL backends', cpu('engine', 'databaseMs').toFixed(2), cpu('baseline', 'databaseMs').toFixed(2)],
      ['ratio to baseline (median of rounds)', ratio.toFixed(2), '1.00'],
    ]);
    process.stdout.write(`vigil    ${bar(measured.eventsPerSecond, Math.max(measured.eventsPerSecond, baseline.eventsPerSecond))}\nbaseline ${bar(baseline.eventsPerSecond, Math.max(measured.eventsPerSecond, baseline.eventsPerSecond))}\n\n`);
    emit({
      bench: 'ingest',
      metrics: {
        eventsPerSecond: Math.round(measured.eventsPerSecond),
        p50Ms: Number(fmt(measured.p50)),
        p99Ms: Number(fmt(measured.p99)),
        halfRateP50Ms: Number(fmt(half.p50)),
        halfRateP99Ms: Number(fmt(half.p99)),
        cpuProcessMsPerBatch: Number(cpu('engine', 'processMs').toFixed(2)),
        cpuDatabaseMsPerBatch: Number(cpu('engine', 'databaseMs').toFixed(2)),
        rounds: ROUNDS,
      },
      baseline: {
        eventsPerSecond: Math.round(baseline.eventsPerSecond), p50Ms: Number(fmt(baseline.p50)), p99Ms: Number(fmt(baseline.p99)),
        cpuProcessMsPerBatch: Number(cpu('baseline', 'processMs').toFixed(2)), cpuDatabaseMsPerBatch: Number(cpu('baseline', 'databaseMs').toFixed(2)),
      },
      ratio: Number(ratio.toFixed(3)),
      goal: 'ratio >= 0.5 of the bare INSERT route (goal 0.8); p99 < 50 ms at half the maximum rate (goal 20 ms); medians of paired rounds',
    });
    await Promise.all([meters.vigil.close(), meters.baseline.close()]);
  } finally {
    await Promise.all([stopChild(hub.child), stopChild(bare.child)]);
    await database.drop();
  }
}

await main();
