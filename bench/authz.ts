// bench:authz — the incidents list for a store-staff user and a central reviewer over 1,000,000 incidents in
// 2,000 stores (PostgreSQL), each beside the same result set queried by hand: store staff's page beside the
// one-store query written by hand, the central reviewer's (who sees every store) beside the tenant-wide page.
// Paired rounds: each round runs the authorized query and its hand-written twin in alternating order.
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import { bindTenant, Incident } from '../models/index.js';
import { abilityFor, whereAllowed, type Principal } from '../policies/index.js';
import { createTenant } from '../hub/commands/tenant-creator.js';
import { connectDatabase, migrateUp } from '../hub/db/index.js';
import { paginate } from '../hub/api/pagination.js';
import { ApiClient } from '../test/support/api-client.js';
import { benchDatabase } from './support/bench-database.js';
import { profileFlags, spawnAndWait, stopChild } from './support/children.js';
import { bar, emit, percentile, printTable } from './support/report.js';

const INCIDENTS = Number(process.env.BENCH_INCIDENTS ?? 1_000_000);
const STORES = 2000;
const REGIONS = 20;
const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

async function seed(knex: Knex, tenantId: string): Promise<void> {
  const t0 = performance.now();
  await knex.raw(`INSERT INTO regions (tenant_id, id, name) SELECT ?, 'reg_' || lpad(r::text, 26, '0'), 'Region ' || r FROM generate_series(1, ${REGIONS}) r`, [tenantId]);
  await knex.raw(`INSERT INTO stores (tenant_id, id, region_id, name, code, timezone)
    SELECT ?, 'sto_' || lpad(s::text, 26, '0'), 'reg_' || lpad((1 + s % ${REGIONS})::text, 26, '0'), 'Store ' || s, 'S' || s, 'Europe/Berlin' FROM generate_series(1, ${STORES}) s`, [tenantId]);
  await knex.raw(`INSERT INTO cameras (tenant_id, id, store_id, name)
    SELECT ?, 'cam_' || lpad(s::text, 26, '0'), 'sto_' || lpad(s::text, 26, '0'), 'Lane camera' FROM generate_series(1, ${STORES}) s`, [tenantId]);
  const chunk = 200_000;
  for (let start = 1; start <= INCIDENTS; start += chunk) {
    const end = Math.min(INCIDENTS, start + chunk - 1);
    await knex.raw(`INSERT INTO incidents (tenant_id, id, store_id, region_id, camera_id, type, severity, state, confidence, event_count, opened_at, last_event_at)
      SELECT ?, 'inc_' || lpad(i::text, 26, '0'), 'sto_' || lpad((1 + i % ${STORES})::text, 26, '0'), 'reg_' || lpad((1 + (1 + i % ${STORES}) % ${REGIONS})::text, 26, '0'),
             'cam_' || lpad((1 + i % ${STORES})::text, 26, '0'), (ARRAY['zone_dwell','concealment','scan_avoidance'])[1 + i % 3], 'medium',
             (ARRAY['new','acknowledged','verified','dismissed','resolved'])[1 + i % 5], 0.8, 1,
             now() - (i || ' seconds')::interval, now() - (i || ' seconds')::interval
        FROM generate_series(?::int, ?::int) i`, [tenantId, start, end]);
    process.stderr.write(`\rseeding incidents ${bar(end, INCIDENTS, 30)} ${end}/${INCIDENTS}`);
  }
  await knex.raw('ANALYZE');
  process.stderr.write(`\nseeded in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

type Narrow = (qb: ReturnType<typeof Incident.forTenant>) => void;

/** One first page of the incidents list as GET /v1/incidents builds it, inside a tenant transaction as the runtime role; `narrow` adds the conditions. */
async function listPage(knex: Knex, tenantId: string, narrow: Narrow): Promise<{ ms: number; ids: string[] }> {
  const started = performance.now();
  const ids = await knex.transaction(async (trx) => {
    await bindTenant(trx, tenantId);
    const qb = Incident.forTenant(trx, tenantId);
    narrow(qb);
    return (await paginate<Incident>(qb, 'incidents', { limit: 50 })).rows.map((r) => r.id);
  });
  return { ms: performance.now() - started, ids };
}

const authorized = (principal: Principal): Narrow => (qb) => void whereAllowed(qb, abilityFor(principal), 'read', 'Incident', 'incidents');

interface Pair {
  engine: number[];
  baseline: number[];
}

/** The two queries must answer the same page, or the comparison means nothing. */
async function assertSamePage(knex: Knex, tenantId: string, a: Narrow, b: Narrow, what: string): Promise<void> {
  const [x, y] = [await listPage(knex, tenantId, a), await listPage(knex, tenantId, b)];
  if (x.ids.length === 0 || x.ids.join() !== y.ids.join()) throw new Error(`${what}: the authorized page and its hand-written twin differ`);
}

/** ROUNDS rounds of RUNS / ROUNDS samples each, engine and baseline alternating which goes first. */
async function pairedRounds(label: string, knex: Knex, tenantId: string, engine: Narrow, baseline: Narrow): Promise<Pair & { ratios: number[] }> {
  const pair: Pair & { ratios: number[] } = { engine: [], baseline: [], ratios: [] };
  const per = Math.max(1, Math.ceil(RUNS / ROUNDS));
  for (let i = 0; i < 10; i += 1) await listPage(knex, tenantId, i % 2 ? engine : baseline);
  for (let round = 0; round < ROUNDS; round += 1) {
    const run = async (narrow: Narrow) => {
      const out: number[] = [];
      for (let i = 0; i < per; i += 1) out.push((await listPage(knex, tenantId, narrow)).ms);
      return out.sort((a, b) => a - b);
    };
    const first = await run(round % 2 ? engine : baseline);
    const second = await run(round % 2 ? baseline : engine);
    const [e, b] = round % 2 ? [first, second] : [second, first];
    pair.engine.push(...e);
    pair.baseline.push(...b);
    pair.ratios.push(percentile(e, 50) / percentile(b, 50));
    process.stderr.write(`${label} round ${round + 1}: ${percentile(e, 50).toFixed(2)} ms vs ${percentile(b, 50).toFixed(2)} ms by hand (${(percentile(e, 50) / percentile(b, 50)).toFixed(2)}x)\n`);
  }
  pair.engine.sort((a, b) => a - b);
  pair.baseline.sort((a, b) => a - b);
  return pair;
}

async function measure(fn: () => Promise<number>): Promise<number[]> {
  for (let i = 0; i < 10; i += 1) await fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i += 1) samples.push(await fn());
  return samples.sort((a, b) => a - b);
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  const database = await benchDatabase();
  const db = connectDatabase({ databaseUrl: database.url, dataDir: 'memory', poolMax: 4 });
  try {
    await migrateUp(db.knex);
    const tenant = await createTenant(db.knex, 'Authz Bench Retail');
    await seed(db.knex, tenant.tenant.id);
    const store = `sto_${'7'.padStart(26, '0')}`;
    const staff: Principal = { tenantId: tenant.tenant.id, environment: 'production', principalId: 'usr_staff', kind: 'user', role: 'store_staff', storeIds: [store], regionIds: [] };
    const reviewer: Principal = { ...staff, principalId: 'usr_reviewer', role: 'central_reviewer', storeIds: [] };
    const oneStoreByHand: Narrow = (qb) => void qb.where('incidents.store_id', store);
    const everyStore: Narrow = () => undefined;
    await assertSamePage(db.knex, staff.tenantId, authorized(staff), oneStoreByHand, 'store staff');
    await assertSamePage(db.knex, staff.tenantId, authorized(reviewer), everyStore, 'central reviewer');
    const staffPair = await pairedRounds('store staff', db.knex, staff.tenantId, authorized(staff), oneStoreByHand);
    const reviewerPair = await pairedRounds('central reviewer', db.knex, staff.tenantId, authorized(reviewer), everyStore);
    const http = await httpLatency(database.url, tenant.adminToken, store);
    const p = (s: number[], n: number) => Number(percentile(s, n).toFixed(2));
    // p50 is the steadier figure on a shared machine, p99 is printed beside it; the ratio is the median of the rounds' p50 ratios.
    const ratioStaff = median(staffPair.ratios);
    const ratioReviewer = median(reviewerPair.ratios);
    printTable(`bench:authz — ${INCIDENTS.toLocaleString()} incidents, ${STORES} stores, PostgreSQL, first page of 50, ${ROUNDS} paired rounds, ${RUNS} runs each`, [
      ['store staff p50 / p99 ms', `${p(staffPair.engine, 50)} / ${p(staffPair.engine, 99)}`, `${p(staffPair.baseline, 50)} / ${p(staffPair.baseline, 99)} (one store, by hand)`],
      ['central reviewer p50 / p99 ms', `${p(reviewerPair.engine, 50)} / ${p(reviewerPair.engine, 99)}`, `${p(reviewerPair.baseline, 50)} / ${p(reviewerPair.baseline, 99)} (every store, no conditions)`],
      ['HTTP GET /v1/incidents staff p50 / p99 ms', `${p(http.staff, 50)} / ${p(http.staff, 99)}`, '-'],
      ['HTTP GET /v1/incidents reviewer p50 / p99 ms', `${p(http.reviewer, 50)} / ${p(http.reviewer, 99)}`, '-'],
      ['ratio p50 staff / reviewer (median of rounds)', `${ratioStaff.toFixed(2)} / ${ratioReviewer.toFixed(2)}`, '1.00'],
    ]);
    const max = Math.max(p(staffPair.engine, 50), p(staffPair.baseline, 50));
    process.stdout.write(`staff    ${bar(p(staffPair.engine, 50), max)}\nby hand  ${bar(p(staffPair.baseline, 50), max)}\n\n`);
    emit({
      bench: 'authz',
      metrics: { staffP50Ms: p(staffPair.engine, 50), staffP99Ms: p(staffPair.engine, 99), reviewerP50Ms: p(reviewerPair.engine, 50), reviewerP99Ms: p(reviewerPair.engine, 99), httpStaffP99Ms: p(http.staff, 99), httpReviewerP99Ms: p(http.reviewer, 99), reviewerRatio: Number(ratioReviewer.toFixed(3)) },
      baseline: { storeByHandP50Ms: p(staffPair.baseline, 50), storeByHandP99Ms: p(staffPair.baseline, 99), unfilteredP50Ms: p(reviewerPair.baseline, 50), unfilteredP99Ms: p(reviewerPair.baseline, 99) },
      ratio: Number(ratioStaff.toFixed(3)),
      goal: "store staff's first page at most 1.3x (goal 1.1x) the same one-store query written by hand; p99 < 100 ms",
    });
  } finally {
    await db.close();
    await database.drop();
  }
}

/** The same lists end to end through the hub's HTTP API, for context. */
async function httpLatency(url: string, adminToken: string, store: string): Promise<{ staff: number[]; reviewer: number[] }> {
  const env = { ...process.env, DATABASE_URL: url, VIGIL_LOG_LEVEL: 'warn', VIGIL_ROLE: 'api', VIGIL_PORT: '0', VIGIL_RATE_LIMIT_IDENTITY: '0', VIGIL_RATE_LIMIT_TENANT: '0' };
  const hub = await spawnAndWait(process.execPath, [...profileFlags(), `${ROOT}bin/vigil.mjs`, 'hub'], env, (l) => /listening on (\S+)/.exec(l)?.[1] ?? null);
  try {
    const admin = new ApiClient(hub.value, adminToken);
    const staff = admin.as((await admin.post<{ token: string }>('/v1/tokens', { name: 'staff', role: 'store_staff', storeIds: [store] })).token);
    const reviewer = admin.as((await admin.post<{ token: string }>('/v1/tokens', { name: 'reviewer', role: 'central_reviewer' })).token);
    const time = (client: ApiClient) => async () => {
      const started = performance.now();
      await client.get('/v1/incidents?limit=50');
      return performance.now() - started;
    };
    return { staff: await measure(time(staff)), reviewer: await measure(time(reviewer)) };
  } finally {
    await stopChild(hub.child);
  }
}

await main();
