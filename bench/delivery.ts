// bench:delivery — webhook deliveries per second from the outbox to a local receiver through the delivery
// worker (claim with SKIP LOCKED, sign with svix, guarded POST, attempt record), and the latency from a
// message's commit to its arrival, beside a bare loop posting the same signed bodies with the same HTTP
// client and concurrency, on PostgreSQL. Ten paired rounds on one growing database: a queue that slows as
// it fills with done rows and dead tuples shows as a falling engine figure beside a steady baseline.
// BENCH_EXPLAIN=1 prints the claim's EXPLAIN (ANALYZE, BUFFERS) and the queue's pg_stat_user_tables per round.
import { createServer } from 'node:http';
import type { Knex } from 'knex';
import type { AddressInfo, Socket } from 'node:net';
import pino from 'pino';
import { createTenant } from '../hub/commands/tenant-creator.js';
import { connectDatabase, migrateUp } from '../hub/db/index.js';
import { buildBody, newSecret, sendGuarded, signedHeaders, startDeliveryWorker, SecretBox, SubnetAllowList, writeMessage } from '../hub/webhooks/index.js';
import { CLAIM_SQL } from '../hub/webhooks/delivery-store.js';

// The bench writes endpoints with plaintext secrets, which a box opens as they are.
const BENCH_SECRETS = new SecretBox(Buffer.alloc(32, 1));
import { newId } from '../contracts/index.js';
import { benchDatabase } from './support/bench-database.js';
import { bar, emit, percentile, printTable } from './support/report.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20000);
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const EXPLAIN = process.env.BENCH_EXPLAIN === '1';
const now = () => performance.timeOrigin + performance.now();

/** A receiver that answers 204 at once and notes when each webhook-id arrived. */
async function receiver(): Promise<{ url: string; arrivals: Map<string, number>; waitFor(n: number): Promise<void>; close(): Promise<void> }> {
  const arrivals = new Map<string, number>();
  let waiter: { n: number; resolve: () => void } | null = null;
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      const id = String(req.headers['webhook-id']);
      if (!arrivals.has(id)) arrivals.set(id, now());
      res.writeHead(204).end();
      if (waiter && arrivals.size >= waiter.n) waiter.resolve();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    arrivals,
    waitFor: (n) => (arrivals.size >= n ? Promise.resolve() : new Promise((resolve) => { waiter = { n, resolve }; })),
    close: async () => { for (const s of sockets) s.destroy(); await new Promise<void>((r) => server.close(() => r())); },
  };
}

const data = (i: number) => ({ id: `inc_bench${i}`, type: 'zone_dwell', severity: 'medium', storeId: 'sto_bench', cameraId: 'cam_bench', links: { self: `/v1/incidents/inc_bench${i}` } });

/** The baseline: the same bodies, signed the same way, posted by the same guarded client, CONCURRENCY at a time. */
async function bareLoop(url: string, secret: string, count: number): Promise<number> {
  const allow = new SubnetAllowList(['127.0.0.1/32']);
  const options = { timeoutMs: 15_000, maxResponseBytes: 1024 };
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < count) {
      const i = (next += 1);
      const id = newId('message');
      const body = buildBody({ id, eventType: 'incident.created', createdAt: new Date(), data: data(i) }, { format: 'standard', fullPayload: false, config: {} }, null);
      const res = await sendGuarded({ method: 'POST', url, headers: { 'content-type': 'application/json', 'user-agent': 'Vigil-Webhooks/1.0', ...signedHeaders(id, new Date(), body, [secret]) }, body }, allow, options);
      if (res.status !== 204) throw new Error(`baseline post answered ${res.status ?? res.error}`);
    }
  }));
  return count / ((performance.now() - started) / 1000);
}

interface TableStats { relname: string; n_live_tup: number; n_dead_tup: number; n_tup_upd: number; n_tup_hot_upd: number }

/** Live and dead tuples and HOT updates of the outbox tables (the statistics collector lags a little). */
async function queueStats(knex: Knex): Promise<TableStats[]> {
  const { rows } = await knex.raw<{ rows: TableStats[] }>(
    `SELECT relname, n_live_tup::int, n_dead_tup::int, n_tup_upd::int, n_tup_hot_upd::int FROM pg_stat_user_tables
      WHERE relname IN ('webhook_deliveries', 'webhook_messages', 'webhook_workers') ORDER BY relname`);
  return rows;
}

/** The claim's plan with timings and buffers, run in a transaction that is rolled back. */
async function explainClaim(knex: Knex): Promise<string> {
  const trx = await knex.transaction();
  try {
    const { rows } = await trx.raw<{ rows: Array<{ 'QUERY PLAN': string }> }>(`EXPLAIN (ANALYZE, BUFFERS) ${CLAIM_SQL}`, [32, 'wkr_explain', 60, Array.from({ length: 32 }, () => newId('attempt'))]);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  } finally {
    await trx.rollback();
  }
}

async function diagnose(knex: Knex, label: string): Promise<void> {
  if (!EXPLAIN) return;
  const stats = (await queueStats(knex)).map((t) => `  ${t.relname}: live ${t.n_live_tup}, dead ${t.n_dead_tup}, updates ${t.n_tup_upd} (HOT ${t.n_tup_hot_upd})`);
  process.stdout.write(`-- ${label}\n${stats.join('\n')}\n${await explainClaim(knex)}\n`);
}

async function main(): Promise<void> {
  const database = await benchDatabase();
  const db = connectDatabase({ databaseUrl: database.url, dataDir: 'memory', poolMax: 12 });
  const sink = await receiver();
  try {
    await migrateUp(db.knex);
    const { tenant } = await createTenant(db.knex, 'Bench retail');
    const secret = newSecret();
    const endpointId = newId('webhook');
    await db.knex('webhook_endpoints').insert({ tenant_id: tenant.id, id: endpointId, url: sink.url, event_types: ['incident.created'], secret });
    await db.knex.raw("INSERT INTO webhook_settings (tenant_id, allowed_subnets) VALUES (?, '{127.0.0.1/32}')", [tenant.id]);
    const enqueue = (from: number, to: number) => db.knex.transaction(async (trx) => {
      const ids: string[] = [];
      for (let i = from; i < to; i += 1) ids.push((await writeMessage(trx, tenant.id, { type: 'incident.created', subjectId: null, data: data(i) })) ?? '');
      return ids;
    });

    // Paired rounds on a shared, noisy machine: each round fills the outbox, runs the bare loop, then
    // lets a fresh worker drain the outbox; the medians of the rounds are reported.
    await bareLoop(sink.url, secret, 200);
    const rounds: Array<{ engine: number; baseline: number }> = [];
    const perRound = Math.ceil(MESSAGES / ROUNDS);
    for (let round = 0; round < ROUNDS; round += 1) {
      const offset = round * perRound;
      for (let i = 0; i < perRound; i += 500) await enqueue(offset + i, offset + Math.min(perRound, i + 500));
      await diagnose(db.knex, `round ${round + 1}, outbox filled`);
      const baseline = await bareLoop(sink.url, secret, perRound);
      sink.arrivals.clear();
      const started = performance.now();
      const drain = startDeliveryWorker({ knex: db.knex, log: pino({ level: 'silent' }), options: { concurrency: CONCURRENCY, claimBatch: 128, pollMs: 1000 }, allowedPrivateRanges: ['127.0.0.1/32'], secrets: BENCH_SECRETS });
      await sink.waitFor(perRound);
      const engine = perRound / ((performance.now() - started) / 1000);
      await drain.stop();
      rounds.push({ engine, baseline });
      process.stdout.write(`round ${String(round + 1).padStart(2)}: engine ${engine.toFixed(0).padStart(5)}/s  baseline ${baseline.toFixed(0).padStart(5)}/s  ratio ${(engine / baseline).toFixed(2)}\n`);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
    const engineRate = median(rounds.map((r) => r.engine));
    const baselineRate = median(rounds.map((r) => r.baseline));
    const ratios = rounds.map((r) => r.engine / r.baseline);
    const ratio = median(ratios);
    // Flat: the last three rounds' median ratio against the first three's (1.0 = no slowdown as the table grows).
    const flatness = median(ratios.slice(-3)) / median(ratios.slice(0, 3));
    const dead = (await queueStats(db.knex)).find((t) => t.relname === 'webhook_deliveries');
    sink.arrivals.clear();
    const worker = startDeliveryWorker({ knex: db.knex, log: pino({ level: 'silent' }), options: { concurrency: CONCURRENCY, claimBatch: 128, pollMs: 1000 }, allowedPrivateRanges: ['127.0.0.1/32'], secrets: BENCH_SECRETS });

    // Commit-to-arrival: one message per transaction, spaced so the worker is idle when each commits.
    const committed = new Map<string, number>();
    for (let i = 0; i < LATENCY_SAMPLES; i += 1) {
      const [id] = await enqueue(ROUNDS * perRound + i, ROUNDS * perRound + i + 1);
      committed.set(id ?? '', now());
      await new Promise((r) => setTimeout(r, 4));
    }
    await sink.waitFor(LATENCY_SAMPLES);
    await worker.stop();
    const latencies = [...committed].map(([id, at]) => (sink.arrivals.get(id) ?? Number.NaN) - at).sort((a, b) => a - b);
    const fmt = (n: number) => n.toFixed(1);
    printTable(`bench:delivery — PostgreSQL, ${ROUNDS} paired rounds of ${perRound} messages, concurrency ${CONCURRENCY}, local receiver (medians)`, [
      ['deliveries/s', fmt(engineRate), fmt(baselineRate)],
      [`commit -> arrival p50 ms (${LATENCY_SAMPLES} single commits)`, fmt(percentile(latencies, 50)), '-'],
      ['commit -> arrival p99 ms', fmt(percentile(latencies, 99)), '-'],
      ['ratio to baseline (median of rounds)', ratio.toFixed(2), '1.00'],
      ['ratio lowest / highest round', `${Math.min(...ratios).toFixed(2)} / ${Math.max(...ratios).toFixed(2)}`, '-'],
      ['flatness (last 3 rounds / first 3, ratio)', flatness.toFixed(2), '1.00'],
      ['webhook_deliveries dead tuples at the end', String(dead?.n_dead_tup ?? '-'), '-'],
    ]);
    const max = Math.max(engineRate, baselineRate);
    process.stdout.write(`vigil    ${bar(engineRate, max)}\nbaseline ${bar(baselineRate, max)}\n\n`);
    emit({
      bench: 'delivery',
      metrics: {
        deliveriesPerSecond: Math.round(engineRate), commitToAttemptP50Ms: Number(fmt(percentile(latencies, 50))), commitToAttemptP99Ms: Number(fmt(percentile(latencies, 99))),
        rounds: ROUNDS, lowestRoundRatio: Number(Math.min(...ratios).toFixed(3)), flatness: Number(flatness.toFixed(3)),
      },
      baseline: { deliveriesPerSecond: Math.round(baselineRate) },
      ratio: Number(ratio.toFixed(3)),
      goal: 'ratio >= 0.6 of a bare signed-POST loop and flat across 10 rounds (goal 0.9); commit-to-first-attempt p50 <= 10 ms',
    });
  } finally {
    await sink.close();
    await db.close();
    await database.drop();
  }
}

await main();
