// bench:authz — the incidents list for a store-staff user and a central reviewer over 1,000,000 incidents in
// 2,000 stores (PostgreSQL), beside the same query without authorization conditions, in the same run.
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import { bindTenant, Incident } from '../models/index.js';
import { abilityFor, whereAllowed, type Principal } from '../policies/index.js';
import { createTenant } from '../hub/commands/tenant-creator.js';
import { connectDatabase, migrateUp } from '../hub/db/index.js';
import { paginate } from '../hub/api/pagination.js';
import { ApiClient } from '../test/support/api-client.js';
import { benchDatabase } from './support/bench-database.js';
import { spawnAndWait, stopChild } from './support/children.js';
import { bar, emit, percentile, printTable } from './support/report.js';

const INCIDENTS = Number(process.env.BENCH_INCIDENTS ?? 1_000_000);
const STORES = 2000;
const REGIONS = 20;
const RUNS = Number(process.env.BENCH_RUNS ?? 300);
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

/** One page of the list exactly as GET /v1/incidents builds it, inside a tenant transaction as the runtime role. */
async function listPage(knex: Knex, principal: Principal, authorized: boolean, cursor?: string): Promise<number> {
  const started = performance.now();
  await knex.transaction(async (trx) => {
    await bindTenant(trx, principal.tenantId);
    const qb = Incident.forTenant(trx, principal.tenantId);
    if (authorized) whereAllowed(qb, abilityFor(principal), 'read', 'Incident', 'incidents');
    await paginate<Incident>(qb, 'incidents', { limit: 50, cursor });
  });
  return performance.now() - started;
}

async function measure(fn: () => Promise<number>): Promise<number[]> {
  for (let i = 0; i < 10; i += 1) await fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i += 1) samples.push(await fn());
  return samples.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const database = await benchDatabase();
  const db = connectDatabase({ databaseUrl: database.url, dataDir: 'memory', poolMax: 4 });
  try {
    await migrateUp(db.knex);
    const tenant = await createTenant(db.knex, 'Authz Bench Retail');
    await seed(db.knex, tenant.tenant.id);
    const store = `sto_${'7'.padStart(26, '0')}`;
    const staff: Principal = { tenantId: tenant.tenant.id, principalId: 'usr_staff', kind: 'user', role: 'store_staff', storeIds: [store], regionIds: [] };
    const reviewer: Principal = { ...staff, principalId: 'usr_reviewer', role: 'central_reviewer', storeIds: [] };
    const unfiltered = await measure(() => listPage(db.knex, reviewer, false));
    const staffLatency = await measure(() => listPage(db.knex, staff, true));
    const reviewerLatency = await measure(() => listPage(db.knex, reviewer, true));
    const staffUnfilteredInStore = await measure(async () => {
      const started = performance.now();
      await db.knex.transaction(async (trx) => {
        await bindTenant(trx, staff.tenantId);
        await paginate<Incident>(Incident.forTenant(trx, staff.tenantId).where('incidents.store_id', store), 'incidents', { limit: 50 });
      });
      return performance.now() - started;
    });
    const http = await httpLatency(database.url, tenant.adminToken, store);
    const p = (s: number[], n: number) => Number(percentile(s, n).toFixed(2));
    // The baseline is the same list without authorization conditions (tenant-wide, newest first); p50 is
    // the steadier figure on a shared machine, p99 is printed beside it.
    const ratioStaff = p(staffLatency, 50) / p(unfiltered, 50);
    const ratioReviewer = p(reviewerLatency, 50) / p(unfiltered, 50);
    printTable(`bench:authz — ${INCIDENTS.toLocaleString()} incidents, ${STORES} stores, PostgreSQL, first page of 50, ${RUNS} runs each`, [
      ['store staff p50 / p99 ms', `${p(staffLatency, 50)} / ${p(staffLatency, 99)}`, `${p(unfiltered, 50)} / ${p(unfiltered, 99)} (no authz)`],
      ['central reviewer p50 / p99 ms', `${p(reviewerLatency, 50)} / ${p(reviewerLatency, 99)}`, `${p(unfiltered, 50)} / ${p(unfiltered, 99)} (no authz)`],
      ['one store, filter by hand p50 / p99 ms', `${p(staffUnfilteredInStore, 50)} / ${p(staffUnfilteredInStore, 99)}`, '-'],
      ['HTTP GET /v1/incidents staff p50 / p99 ms', `${p(http.staff, 50)} / ${p(http.staff, 99)}`, '-'],
      ['HTTP GET /v1/incidents reviewer p50 / p99 ms', `${p(http.reviewer, 50)} / ${p(http.reviewer, 99)}`, '-'],
      ['ratio p50 staff / reviewer', `${ratioStaff.toFixed(2)} / ${ratioReviewer.toFixed(2)}`, '1.00'],
    ]);
    emit({
      bench: 'authz',
      metrics: { staffP50Ms: p(staffLatency, 50), staffP99Ms: p(staffLatency, 99), reviewerP50Ms: p(reviewerLatency, 50), reviewerP99Ms: p(reviewerLatency, 99), httpStaffP99Ms: p(http.staff, 99), httpReviewerP99Ms: p(http.reviewer, 99) },
      baseline: { unfilteredP50Ms: p(unfiltered, 50), unfilteredP99Ms: p(unfiltered, 99), storeFilterP50Ms: p(staffUnfilteredInStore, 50), storeFilterP99Ms: p(staffUnfilteredInStore, 99) },
      ratio: Number(Math.max(ratioStaff, ratioReviewer).toFixed(3)),
      goal: 'authorized list within 1.3x of the same query without authorization conditions; p99 < 100 ms',
    });
  } finally {
    await db.close();
    await database.drop();
  }
}

/** The same lists end to end through the hub's HTTP API, for context. */
async function httpLatency(url: string, adminToken: string, store: string): Promise<{ staff: number[]; reviewer: number[] }> {
  const env = { ...process.env, DATABASE_URL: url, VIGIL_LOG_LEVEL: 'warn', VIGIL_ROLE: 'api', VIGIL_PORT: '0', VIGIL_RATE_LIMIT_IDENTITY: '0', VIGIL_RATE_LIMIT_TENANT: '0' };
  const hub = await spawnAndWait(process.execPath, [`${ROOT}bin/vigil.mjs`, 'hub'], env, (l) => /listening on (\S+)/.exec(l)?.[1] ?? null);
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
