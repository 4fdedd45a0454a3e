// bench:analytics — each /v1/analytics endpoint (over HTTP, as a central reviewer: the whole tenant, the widest
// scope) over 1,000,000 incidents in 2,000 stores on PostgreSQL, beside the same aggregate computed by a plain
// GROUP BY over the raw incident tables in the same run. Also: the full rebuild, and an incremental roll-up of
// 1,000 changed incidents. Each figure is checked against its raw twin before it is timed. Camera health: outages
// (camera_health incidents, each with its offline and recovery reports; one in a hundred still open) beside the
// same downtime computed from the raw incidents, reports and transitions. Repeated POS exceptions: 200,000
// linked POS transactions with exceptions beside the same top 200 lanes from the raw transactions and links.
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import { createTenant } from '../hub/commands/tenant-creator.js';
import { connectDatabase, migrateUp } from '../hub/db/index.js';
import { CAMERA_HEALTH_TABLES, COARSE_TABLES, rawCameraDowntime, rawCameraReports, rebuildAnalytics, rollUpAllAnalytics } from '../hub/analytics/index.js';
import { ApiClient } from '../test/support/api-client.js';
import { benchDatabase } from './support/bench-database.js';
import { profileFlags, spawnAndWait, stopChild } from './support/children.js';
import { bar, emit, percentile, printTable } from './support/report.js';

const INCIDENTS = Number(process.env.BENCH_INCIDENTS ?? 1_000_000);
const STORES = 2000;
const REGIONS = 20;
const DAYS = 90;
const OUTAGES = Number(process.env.BENCH_OUTAGES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HOUR = 3_600_000;

const id = (prefix: string, n: string) => `'${prefix}_' || lpad((${n})::text, 26, '0')`;

async function seed(knex: Knex, tenantId: string): Promise<void> {
  const t0 = performance.now();
  await knex.raw(`INSERT INTO regions (tenant_id, id, name) SELECT ?, ${id('reg', 'r')}, 'Region ' || r FROM generate_series(1, ${REGIONS}) r`, [tenantId]);
  await knex.raw(`INSERT INTO stores (tenant_id, id, region_id, name, code, timezone)
    SELECT ?, ${id('sto', 's')}, ${id('reg', `1 + s % ${REGIONS}`)}, 'Store ' || s, 'S' || s, (ARRAY['Europe/Berlin','America/New_York','Asia/Tokyo'])[1 + s % 3] FROM generate_series(1, ${STORES}) s`, [tenantId]);
  await knex.raw(`INSERT INTO lanes (tenant_id, id, store_id, name) SELECT ?, ${id('lan', 'l')}, ${id('sto', `1 + l % ${STORES}`)}, 'Lane ' || l FROM generate_series(0, ${STORES * 4 - 1}) l`, [tenantId]);
  await knex.raw(`INSERT INTO cameras (tenant_id, id, store_id, name) SELECT ?, ${id('cam', 's')}, ${id('sto', 's')}, 'Camera' FROM generate_series(1, ${STORES}) s`, [tenantId]);
  const chunk = 100_000;
  for (let start = 1; start <= INCIDENTS; start += chunk) {
    const end = Math.min(INCIDENTS, start + chunk - 1);
    // Store s = 1 + i % STORES; its four lanes are l = s - 1 + k * STORES, k = 0..3 (1 + l % STORES = s).
    await knex.raw(`INSERT INTO incidents (tenant_id, id, store_id, region_id, lane_id, camera_id, type, severity, state, confidence, event_count, opened_at, last_event_at, outcome)
      SELECT ?, ${id('inc', 'i')}, ${id('sto', `1 + i % ${STORES}`)}, ${id('reg', `1 + (1 + i % ${STORES}) % ${REGIONS}`)},
        ${id('lan', `(i % ${STORES}) + ((i / ${STORES}) % 4) * ${STORES}`)}, ${id('cam', `1 + i % ${STORES}`)},
        (ARRAY['zone_dwell','concealment','scan_avoidance','sweethearting'])[1 + i % 4], (ARRAY['low','medium','high','critical'])[1 + (i / 7) % 4],
        (ARRAY['new','acknowledged','dismissed','resolved','resolved'])[1 + (i / 3) % 5], 0.8, 1 + i % 3,
        now() - ((i::bigint * ${DAYS * 86_400}) / ${INCIDENTS} || ' seconds')::interval, now() - ((i::bigint * ${DAYS * 86_400}) / ${INCIDENTS} || ' seconds')::interval,
        CASE WHEN (i / 3) % 5 >= 3 THEN jsonb_build_object('result', (ARRAY['recovered','no_loss','not_recovered'])[1 + i % 3], 'recoveredValue', (i % 500) / 10.0, 'notes', 'bench') END
      FROM generate_series(?::int, ?::int) i`, [tenantId, start, end]);
    // Every incident past `new` was acknowledged; the resolved ones resolved later.
    await knex.raw(`INSERT INTO incident_transitions (tenant_id, id, incident_id, action, from_state, to_state, actor_id, at)
      SELECT tenant_id, 'itr_a' || substr(id, 5), id, 'acknowledged', 'new', 'acknowledged', 'usr_bench', opened_at + ((i % 7200) || ' seconds')::interval
      FROM (SELECT *, substr(id, 5)::int AS i FROM incidents WHERE tenant_id = ? AND state <> 'new' AND id BETWEEN ${id('inc', '?::int')} AND ${id('inc', '?::int')}) x`, [tenantId, start, end]);
    await knex.raw(`INSERT INTO incident_transitions (tenant_id, id, incident_id, action, from_state, to_state, actor_id, at)
      SELECT tenant_id, 'itr_r' || substr(id, 5), id, 'resolved', 'intervened', 'resolved', 'usr_bench', opened_at + ((i % 172800) || ' seconds')::interval
      FROM (SELECT *, substr(id, 5)::int AS i FROM incidents WHERE tenant_id = ? AND state = 'resolved' AND id BETWEEN ${id('inc', '?::int')} AND ${id('inc', '?::int')}) x`, [tenantId, start, end]);
    process.stderr.write(`\rseeding incidents ${bar(end, INCIDENTS, 30)} ${end}/${INCIDENTS}`);
  }
  await seedOutages(knex, tenantId);
  await seedPosExceptions(knex, tenantId);
  await knex.raw('ANALYZE');
  process.stderr.write(`\nseeded in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

/** Outage o: camera (and store) 1 + o % STORES, over the 90 days, a minute to two hours long; every hundredth still open. */
async function seedOutages(knex: Knex, tenantId: string): Promise<void> {
  const o = `(i - ${INCIDENTS})`;
  const store = id('sto', `1 + ${o} % ${STORES}`);
  await knex.raw(`INSERT INTO incidents (tenant_id, id, store_id, region_id, lane_id, camera_id, type, severity, state, confidence, event_count, opened_at, last_event_at, outcome)
    SELECT ?, ${id('inc', 'i')}, ${store}, ${id('reg', `1 + (1 + ${o} % ${STORES}) % ${REGIONS}`)}, NULL, ${id('cam', `1 + ${o} % ${STORES}`)}, 'camera_health', 'high',
      CASE WHEN ${o} % 100 = 0 THEN 'new' ELSE 'resolved' END, 1, 1, now() - ((${o}::bigint * ${DAYS * 86_400}) / ${OUTAGES} || ' seconds')::interval, now() - ((${o}::bigint * ${DAYS * 86_400}) / ${OUTAGES} || ' seconds')::interval,
      CASE WHEN ${o} % 100 <> 0 THEN '{"result": "no_loss", "recoveredValue": 0, "notes": "bench"}'::jsonb END
    FROM generate_series(${INCIDENTS + 1}, ${INCIDENTS + OUTAGES}) i`, [tenantId]);
  const report = (n: string, state: string, at: string, where: string) => `INSERT INTO detection_events (tenant_id, id, occurred_at, store_id, camera_id, source_id, type, severity, confidence, incident_id, payload)
    SELECT tenant_id, ${id('evt', n)}, ${at}, store_id, camera_id, 'src_bench', 'camera_health', severity, 1, id, jsonb_build_object('type', 'camera_health', 'attributes', jsonb_build_object('state', '${state}'))
    FROM (SELECT *, substr(id, 5)::int AS i FROM incidents WHERE tenant_id = ? AND type = 'camera_health') x ${where}`;
  const back = `opened_at + ((60 + i % 7200) || ' seconds')::interval`;
  await knex.raw(report('2 * i', 'offline', 'opened_at', ''), [tenantId]);
  await knex.raw(report('2 * i + 1', 'streaming', back, `WHERE state = 'resolved'`), [tenantId]);
  await knex.raw(`INSERT INTO incident_transitions (tenant_id, id, incident_id, action, from_state, to_state, actor_id, at)
    SELECT tenant_id, 'itr_r' || substr(id, 5), id, 'resolved', 'new', 'resolved', 'usr_bench', ${back}
    FROM (SELECT *, substr(id, 5)::int AS i FROM incidents WHERE tenant_id = ? AND type = 'camera_health' AND state = 'resolved') x`, [tenantId]);
}

/**
 * POS transactions with exceptions linked to incidents: every fifth incident on a lane has one, on its lane at
 * its opening, by one of 50 operators, with one or two exception codes.
 */
async function seedPosExceptions(knex: Knex, tenantId: string): Promise<void> {
  const linked = `(SELECT *, substr(id, 5)::int AS i FROM incidents WHERE tenant_id = ? AND type <> 'camera_health' AND lane_id IS NOT NULL AND substr(id, 5)::int % 5 = 0) x`;
  await knex.raw(`INSERT INTO pos_transactions (tenant_id, id, occurred_at, pos_store_id, workstation_id, sequence_number, store_id, lane_id, is_matched, begin_at, end_at, operator_id, kind, exceptions, raw)
    SELECT tenant_id, ${id('pos', 'i')}, opened_at, 'S' || i % ${STORES}, 'POS-' || lane_id, i::text, store_id, lane_id, true, opened_at, opened_at + interval '90 seconds',
      'op' || i % 50, 'sale', CASE WHEN i % 3 = 0 THEN ARRAY['void', 'price_override'] ELSE ARRAY['void'] END, '{}'::jsonb
    FROM ${linked}`, [tenantId]);
  await knex.raw(`INSERT INTO pos_incident_links (tenant_id, pos_transaction_id, incident_id, lane_id, reason)
    SELECT tenant_id, ${id('pos', 'i')}, id, lane_id, 'same_lane_window' FROM ${linked}`, [tenantId]);
}

interface Figure {
  name: string;
  path: string;
  /** The same aggregate by a plain GROUP BY over the raw tables (SQL taking the tenant id, or a function of the transaction). */
  raw: string | ((trx: Knex.Transaction) => Promise<Array<Record<string, unknown>>>);
  /** A number both must agree on (a total), read from the API's answer and from the raw rows. */
  total: (body: { data: Array<Record<string, unknown>> }) => number;
  rawTotal: (rows: Array<Record<string, unknown>>) => number;
}

const sum = (rows: Array<Record<string, unknown>>, field: string) => rows.reduce((s, r) => s + Number(r[field] ?? 0), 0);

function figures(from: string, to: string, tenantId: string): Figure[] {
  const window = `i.tenant_id = ? AND i.opened_at >= '${from}' AND i.opened_at < '${to}'`;
  const q = `from=${from}&to=${to}`;
  return [
    { name: 'incidents by store', path: `/v1/analytics/incidents?${q}&by=store`, raw: `SELECT store_id, count(*) AS n FROM incidents i WHERE ${window} GROUP BY store_id`, total: (b) => sum(b.data, 'incidents'), rawTotal: (r) => sum(r, 'n') },
    { name: 'incidents per day by type', path: `/v1/analytics/incidents?${q}&by=type&interval=day`, raw: `SELECT date_trunc('day', opened_at, 'UTC'), type, count(*) AS n FROM incidents i WHERE ${window} GROUP BY 1, 2`, total: (b) => sum(b.data, 'incidents'), rawTotal: (r) => sum(r, 'n') },
    { name: 'heatmap (store time)', path: `/v1/analytics/heatmap?${q}`, raw: `SELECT extract(isodow FROM i.opened_at AT TIME ZONE s.timezone), extract(hour FROM i.opened_at AT TIME ZONE s.timezone), count(*) AS n FROM incidents i JOIN stores s ON s.tenant_id = i.tenant_id AND s.id = i.store_id WHERE ${window} GROUP BY 1, 2`, total: (b) => sum(b.data, 'incidents'), rawTotal: (r) => sum(r, 'n') },
    {
      name: 'response times by region', path: `/v1/analytics/response-times?${q}&by=region`,
      raw: `SELECT i.region_id, count(*) AS n, percentile_disc(0.5) WITHIN GROUP (ORDER BY a.at - i.opened_at), percentile_disc(0.9) WITHIN GROUP (ORDER BY a.at - i.opened_at)
        FROM incidents i LEFT JOIN LATERAL (SELECT min(at) AS at FROM incident_transitions t WHERE t.tenant_id = i.tenant_id AND t.incident_id = i.id AND t.from_state = 'new') a ON true WHERE ${window} GROUP BY 1`,
      total: (b) => sum(b.data, 'incidents'), rawTotal: (r) => sum(r, 'n'),
    },
    { name: 'outcomes', path: `/v1/analytics/outcomes?${q}`, raw: `SELECT outcome->>'result' AS result, count(*) AS n, sum((outcome->>'recoveredValue')::numeric) FROM incidents i WHERE ${window} AND state = 'resolved' GROUP BY 1`, total: (b) => sum(b.data, 'incidents'), rawTotal: (r) => sum(r, 'n') },
    {
      name: 'repeat exceptions by lane', path: `/v1/analytics/repeat-exceptions?${q}&by=lane&min=1&limit=200`,
      raw: `SELECT store_id, lane_id, count(*) AS transactions, sum(codes) AS exceptions FROM (
          SELECT t.store_id, coalesce(t.lane_id, min(l.lane_id)) AS lane_id, cardinality(t.exceptions) AS codes
            FROM pos_transactions t JOIN pos_incident_links l ON l.tenant_id = t.tenant_id AND l.pos_transaction_id = t.id
            JOIN incidents i ON i.tenant_id = l.tenant_id AND i.id = l.incident_id
           WHERE t.tenant_id = ? AND coalesce(t.begin_at, t.occurred_at) >= '${from}' AND coalesce(t.begin_at, t.occurred_at) < '${to}' AND cardinality(t.exceptions) > 0
           GROUP BY t.tenant_id, t.id, t.pos_store_id, t.workstation_id, t.sequence_number, t.occurred_at, t.store_id, t.lane_id, t.exceptions) x
        GROUP BY 1, 2 ORDER BY 3 DESC, 4 DESC, 1, 2 LIMIT 200`,
      total: (b) => sum(b.data, 'transactions'), rawTotal: (r) => sum(r, 'transactions'),
    },
    {
      // The range ends in the past (a whole hour), so the API's "now" and the raw query's agree.
      name: 'camera health by camera', path: `/v1/analytics/camera-health?${q}&by=camera`,
      raw: async (trx) => {
        const filter = { from: new Date(from), to: new Date(to) };
        const downtime = await rawCameraDowntime(trx, tenantId, filter, new Date());
        await rawCameraReports(trx, tenantId, filter);
        return downtime;
      },
      total: (b) => sum(b.data, 'outages'), rawTotal: (r) => sum(r, 'outages'),
    },
  ];
}

async function timed(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 3; i += 1) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const database = await benchDatabase();
  const db = connectDatabase({ databaseUrl: database.url, dataDir: 'memory', poolMax: 4 });
  try {
    await migrateUp(db.knex);
    const tenant = await createTenant(db.knex, 'Analytics Bench Retail');
    const tenantId = tenant.tenant.id;
    await seed(db.knex, tenantId);
    let started = performance.now();
    const rebuilt = await rebuildAnalytics(db.knex);
    const rebuildMs = performance.now() - started;
    process.stderr.write(`rebuild: ${rebuilt.rows} rollup rows in ${(rebuildMs / 1000).toFixed(1)} s\n`);
    for (const table of ['analytics_incident_hours', ...COARSE_TABLES, ...CAMERA_HEALTH_TABLES]) {
      await db.knex.raw(`ANALYZE ${table}`);
      const count = await db.knex(table).count({ n: '*' }).first();
      process.stderr.write(`${table}: ${Number(count?.n ?? 0).toLocaleString()} rows\n`);
    }
    await db.knex.raw(`UPDATE incidents SET event_count = event_count + 1 WHERE tenant_id = ? AND id IN (SELECT id FROM incidents WHERE tenant_id = ? ORDER BY md5(id) LIMIT 1000)`, [tenantId, tenantId]);
    started = performance.now();
    const folded = await rollUpAllAnalytics(db.knex);
    const incrementalMs = performance.now() - started;
    process.stderr.write(`incremental: ${folded} changes folded in ${incrementalMs.toFixed(0)} ms\n`);

    const to = new Date(Math.floor(Date.now() / HOUR) * HOUR).toISOString();
    const from = new Date(Date.parse(to) - 30 * 24 * HOUR).toISOString();
    const env = { ...process.env, DATABASE_URL: database.url, VIGIL_LOG_LEVEL: 'warn', VIGIL_ROLE: 'api', VIGIL_PORT: '0', VIGIL_RATE_LIMIT_IDENTITY: '0', VIGIL_RATE_LIMIT_TENANT: '0' };
    const hub = await spawnAndWait(process.execPath, [...profileFlags(), `${ROOT}bin/vigil.mjs`, 'hub'], env, (l) => /listening on (\S+)/.exec(l)?.[1] ?? null);
    const rows: Array<[string, string, string]> = [];
    const metrics: Record<string, number> = { rebuildSeconds: Number((rebuildMs / 1000).toFixed(1)), incremental1000Ms: Math.round(incrementalMs) };
    const baseline: Record<string, number> = {};
    const ratios: number[] = [];
    let worstP95 = 0;
    const p = (s: number[], n: number) => Number(percentile(s, n).toFixed(2));
    try {
      const admin = new ApiClient(hub.value, tenant.adminToken);
      const reviewer = admin.as((await admin.post<{ token: string }>('/v1/tokens', { name: 'reviewer', role: 'central_reviewer' })).token);
      for (const figure of figures(from, to, tenantId)) {
        // The same session settings as the endpoints (JIT off: it costs more than these queries take).
        const raw = () => db.knex.transaction(async (trx) => {
          await trx.raw('SET LOCAL jit = off');
          if (typeof figure.raw !== 'string') return { rows: await figure.raw(trx) };
          return trx.raw<{ rows: Array<Record<string, unknown>> }>(figure.raw, [tenantId]);
        });
        const answer = await reviewer.get<{ data: Array<Record<string, unknown>> }>(figure.path);
        const direct = (await raw()).rows;
        if (figure.total(answer) !== figure.rawTotal(direct) || figure.total(answer) === 0) throw new Error(`${figure.name}: the rollup says ${figure.total(answer)}, the raw tables ${figure.rawTotal(direct)}`);
        const api = await timed(RUNS, () => reviewer.get(figure.path));
        const plain = await timed(Math.max(5, Math.ceil(RUNS / 4)), raw);
        const key = figure.name.replace(/[^a-z]+(.)/g, (_, c: string) => c.toUpperCase()).replace(/[^A-Za-z]/g, '');
        metrics[`${key}P50Ms`] = p(api, 50);
        metrics[`${key}P95Ms`] = p(api, 95);
        baseline[`${key}RawP50Ms`] = p(plain, 50);
        baseline[`${key}RawP95Ms`] = p(plain, 95);
        ratios.push(percentile(plain, 50) / percentile(api, 50));
        worstP95 = Math.max(worstP95, percentile(api, 95));
        rows.push([`${figure.name} p50 / p95 ms`, `${p(api, 50)} / ${p(api, 95)}`, `${p(plain, 50)} / ${p(plain, 95)} (GROUP BY over raw, ${(percentile(plain, 50) / percentile(api, 50)).toFixed(1)}x)`]);
        process.stderr.write(`${figure.name}: ${p(api, 50)} ms vs ${p(plain, 50)} ms raw\n`);
      }
    } finally {
      await stopChild(hub.child);
    }
    const ratio = Math.min(...ratios);
    rows.push(['full rebuild s', String(metrics.rebuildSeconds), '-'], ['incremental roll-up of 1,000 changed incidents ms', String(metrics.incremental1000Ms), '-'], ['worst ratio raw p50 / endpoint p50', ratio.toFixed(1), '5.0 (goal)']);
    printTable(`bench:analytics — ${INCIDENTS.toLocaleString()} incidents, ${STORES} stores, ${DAYS} days, last 30 days queried, PostgreSQL, HTTP as central reviewer, ${RUNS} runs each`, rows);
    process.stdout.write(`worst endpoint p95 ${bar(worstP95, 200)} ${worstP95.toFixed(1)} ms of 200\n\n`);
    emit({ bench: 'analytics', metrics: { ...metrics, worstP95Ms: Number(worstP95.toFixed(2)) }, baseline, ratio: Number(ratio.toFixed(2)), goal: 'every analytics endpoint p95 < 200 ms over HTTP and at least 5x faster (p50) than the same GROUP BY over the raw tables' });
  } finally {
    await db.close();
    await database.drop();
  }
}

await main();
