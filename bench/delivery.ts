// bench:delivery — webhook deliveries per second from the outbox to a local receiver through the delivery
// worker (claim with SKIP LOCKED, sign with svix, guarded POST, attempt record), and the latency from a
// message's commit to its arrival, beside a bare loop posting the same signed bodies with the same HTTP
// client and concurrency, on PostgreSQL.
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import pino from 'pino';
import { createTenant } from '../hub/commands/tenant-creator.js';
import { connectDatabase, migrateUp } from '../hub/db/index.js';
import { buildBody, newSecret, sendGuarded, signedHeaders, startDeliveryWorker, SecretBox, SubnetAllowList, writeMessage } from '../hub/webhooks/index.js';

// The bench writes endpoints with plaintext secrets, which a box opens as they are.
const BENCH_SECRETS = new SecretBox(Buffer.alloc(32, 1));
import { newId } from '../contracts/index.js';
import { benchDatabase } from './support/bench-database.js';
import { bar, emit, percentile, printTable } from './support/report.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 6000);
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
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
      const baseline = await bareLoop(sink.url, secret, perRound);
      sink.arrivals.clear();
      const started = performance.now();
      const drain = startDeliveryWorker({ knex: db.knex, log: pino({ level: 'silent' }), options: { concurrency: CONCURRENCY, claimBatch: 128, pollMs: 1000 }, allowedPrivateRanges: ['127.0.0.1/32'], secrets: BENCH_SECRETS });
      await sink.waitFor(perRound);
      const engine = perRound / ((performance.now() - started) / 1000);
      await drain.stop();
      rounds.push({ engine, baseline });
      process.stdout.write(`round ${round + 1}: engine ${engine.toFixed(0)}/s, baseline ${baseline.toFixed(0)}/s\n`);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
    const engineRate = median(rounds.map((r) => r.engine));
    const baselineRate = median(rounds.map((r) => r.baseline));
    const ratio = median(rounds.map((r) => r.engine / r.baseline));
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
    ]);
    const max = Math.max(engineRate, baselineRate);
    process.stdout.write(`vigil    ${bar(engineRate, max)}\nbaseline ${bar(baselineRate, max)}\n\n`);
    emit({
      bench: 'delivery',
      metrics: { deliveriesPerSecond: Math.round(engineRate), commitToAttemptP50Ms: Number(fmt(percentile(latencies, 50))), commitToAttemptP99Ms: Number(fmt(percentile(latencies, 99))) },
      baseline: { deliveriesPerSecond: Math.round(baselineRate) },
      ratio: Number(ratio.toFixed(3)),
      goal: 'ratio >= 0.6 of a bare signed-POST loop; commit-to-first-attempt p50 <= 10 ms',
    });
  } finally {
    await sink.close();
    await db.close();
    await database.drop();
  }
}

await main();
