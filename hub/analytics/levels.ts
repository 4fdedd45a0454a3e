import type { Knex } from 'knex';
import { HISTOGRAM_SIZE } from './histogram.js';
import { refreshPosExceptions } from './pos-exceptions.js';

// The coarser rollup levels (migration 20261210000100) are computed from the hourly rows, which equal the raw
// tables: a day of a store is the sum of its hours, and so on. The roll-up recomputes the parts of each level
// that the hours it just recomputed belong to; a rebuild recomputes them all.

const arraySum = (column: string) => `ARRAY[${Array.from({ length: HISTOGRAM_SIZE }, (_, i) => `sum(a.${column}[${i + 1}])`).join(', ')}]::int[]`;
const SUMS = `sum(a.incidents)::int, sum(a.events)::bigint, sum(a.acknowledged)::int, ${arraySum('ack_histogram')}, sum(a.resolved)::int, ${arraySum('resolve_histogram')}, sum(a.recovered_value)`;
const METRIC_COLUMNS = 'incidents, events, acknowledged, ack_histogram, resolved, resolve_histogram, recovered_value';
const DAY = "date_trunc('day', a.hour, 'UTC')";
const SAME = (t: string) => `${t}.tenant_id = a.tenant_id AND ${t}.environment = a.environment`;

/** Statistics for a temporary table (autovacuum never sees them): without them the planner guesses a handful of rows and may scan a level once per touched row. */
export async function analyzed(trx: Knex.Transaction, table: string): Promise<void> {
  await trx.raw(`ANALYZE ${table}`);
}

/**
 * The regions of the hourly rows of the touched store hours (`analytics_touched`), as days. Called before the
 * hours are replaced (the regions they leave) and after (the regions they enter): both need recomputing.
 */
export async function noteTouchedRegions(trx: Knex.Transaction): Promise<void> {
  await trx.raw(`CREATE TEMP TABLE IF NOT EXISTS analytics_touched_regions (tenant_id text, environment text, day timestamptz, region_id text) ON COMMIT DROP`);
  await trx.raw(`INSERT INTO analytics_touched_regions SELECT DISTINCT a.tenant_id, a.environment, ${DAY}, a.region_id
    FROM analytics_incident_hours a JOIN analytics_touched h ON ${SAME('h')} AND h.store_id = a.store_id AND h.hour = a.hour`);
}

/** One per-store level: its table and period column, the touched periods (from the level below's touched rows), and where its sums come from. */
interface StoreLevel {
  table: string;
  period: 'day' | 'week';
  touched: string;
  touchedFrom: { table: string; column: string };
  source: { table: string; column: string };
  length: string;
}

const STORE_DAYS: StoreLevel = {
  table: 'analytics_store_days', period: 'day', touched: 'analytics_touched_days',
  touchedFrom: { table: 'analytics_touched', column: 'hour' }, source: { table: 'analytics_incident_hours', column: 'hour' }, length: '1 day',
};
/** A store's ISO week (from Monday 00:00 UTC) is the sum of its days, recomputed after them. */
const STORE_WEEKS: StoreLevel = {
  table: 'analytics_store_weeks', period: 'week', touched: 'analytics_touched_weeks',
  touchedFrom: { table: 'analytics_touched_days', column: 'day' }, source: { table: 'analytics_store_days', column: 'day' }, length: '7 days',
};

async function refreshStoreLevel(trx: Knex.Transaction, level: StoreLevel): Promise<void> {
  const { table, period, touched, touchedFrom, source, length } = level;
  await trx.raw(`CREATE TEMP TABLE ${touched} ON COMMIT DROP AS
    SELECT DISTINCT tenant_id, environment, date_trunc('${period}', ${touchedFrom.column}, 'UTC') AS ${period}, store_id FROM ${touchedFrom.table}`);
  await analyzed(trx, touched);
  await trx.raw(`DELETE FROM ${table} s USING ${touched} d
    WHERE s.tenant_id = d.tenant_id AND s.environment = d.environment AND s.${period} = d.${period} AND s.store_id = d.store_id`);
  // Per touched period through the index (a lateral subquery): a hash join on the store would pair each row below with every touched period of its store.
  await trx.raw(`INSERT INTO ${table} (tenant_id, environment, ${period}, store_id, region_id, shadow, ${METRIC_COLUMNS})
    SELECT d.tenant_id, d.environment, d.${period}, d.store_id, x.* FROM ${touched} d CROSS JOIN LATERAL (
      SELECT a.region_id, a.shadow, ${SUMS} FROM ${source.table} a
      WHERE ${SAME('d')} AND a.store_id = d.store_id AND a.${source.column} >= d.${period} AND a.${source.column} < d.${period} + interval '${length}' GROUP BY 1, 2
    ) x`);
}

async function refreshRegionDays(trx: Knex.Transaction): Promise<void> {
  await trx.raw(`CREATE TEMP TABLE analytics_touched_region_days ON COMMIT DROP AS SELECT DISTINCT * FROM analytics_touched_regions`);
  await analyzed(trx, 'analytics_touched_region_days');
  await trx.raw(`DELETE FROM analytics_region_days r USING analytics_touched_region_days d
    WHERE r.tenant_id = d.tenant_id AND r.environment = d.environment AND r.day = d.day AND r.region_id = d.region_id`);
  await trx.raw(`INSERT INTO analytics_region_days (tenant_id, environment, day, region_id, type, severity, shadow, outcome, ${METRIC_COLUMNS})
    SELECT d.tenant_id, d.environment, d.day, d.region_id, x.* FROM analytics_touched_region_days d CROSS JOIN LATERAL (
      SELECT a.type, a.severity, a.shadow, a.outcome, ${SUMS} FROM analytics_incident_hours a
      WHERE ${SAME('d')} AND a.region_id = d.region_id AND a.hour >= d.day AND a.hour < d.day + interval '1 day' GROUP BY 1, 2, 3, 4
    ) x`);
}

/** A touched hour is recomputed for the whole tenant: a store whose time zone changed leaves its old zone's row. */
async function refreshZoneHours(trx: Knex.Transaction): Promise<void> {
  await trx.raw(`CREATE TEMP TABLE analytics_touched_hours ON COMMIT DROP AS SELECT DISTINCT tenant_id, environment, hour FROM analytics_touched`);
  await analyzed(trx, 'analytics_touched_hours');
  await trx.raw(`DELETE FROM analytics_zone_hours z USING analytics_touched_hours h
    WHERE z.tenant_id = h.tenant_id AND z.environment = h.environment AND z.hour = h.hour`);
  await trx.raw(`INSERT INTO analytics_zone_hours (tenant_id, environment, hour, timezone, type, shadow, incidents)
    SELECT a.tenant_id, a.environment, a.hour, s.timezone, a.type, a.shadow, sum(a.incidents)::int
    FROM analytics_touched_hours h JOIN analytics_incident_hours a ON ${SAME('h')} AND a.hour = h.hour
    JOIN stores s ON s.tenant_id = a.tenant_id AND s.id = a.store_id
    GROUP BY 1, 2, 3, 4, 5, 6`);
}

/** Recomputes every level's rows for the store hours in `analytics_touched` (after noteTouchedRegions ran before and after). */
export async function refreshLevels(trx: Knex.Transaction): Promise<void> {
  await refreshStoreLevel(trx, STORE_DAYS);
  await refreshStoreLevel(trx, STORE_WEEKS);
  await refreshRegionDays(trx);
  await refreshZoneHours(trx);
  await refreshPosExceptions(trx);
}

export const COARSE_TABLES = ['analytics_store_days', 'analytics_store_weeks', 'analytics_region_days', 'analytics_zone_hours', 'analytics_pos_exception_hours'] as const;

/**
 * Every level of one tenant (or all) computed in one GROUP BY each from the hourly rows just rebuilt (and the POS
 * tables): what `vigil analytics rebuild` runs after the hours; the same rows the roll-up's recomputation gives.
 */
export async function rebuildLevels(trx: Knex.Transaction, tenantId?: string): Promise<void> {
  const where = (alias: string) => (tenantId ? `WHERE ${alias}.tenant_id = ?` : '');
  const bindings = tenantId ? [tenantId] : [];
  await trx.raw(`INSERT INTO analytics_store_days (tenant_id, environment, day, store_id, region_id, shadow, ${METRIC_COLUMNS})
    SELECT a.tenant_id, a.environment, ${DAY}, a.store_id, a.region_id, a.shadow, ${SUMS} FROM analytics_incident_hours a ${where('a')} GROUP BY 1, 2, 3, 4, 5, 6`, bindings);
  await trx.raw(`INSERT INTO analytics_store_weeks (tenant_id, environment, week, store_id, region_id, shadow, ${METRIC_COLUMNS})
    SELECT a.tenant_id, a.environment, date_trunc('week', a.day, 'UTC'), a.store_id, a.region_id, a.shadow, ${SUMS} FROM analytics_store_days a ${where('a')} GROUP BY 1, 2, 3, 4, 5, 6`, bindings);
  await trx.raw(`INSERT INTO analytics_region_days (tenant_id, environment, day, region_id, type, severity, shadow, outcome, ${METRIC_COLUMNS})
    SELECT a.tenant_id, a.environment, ${DAY}, a.region_id, a.type, a.severity, a.shadow, a.outcome, ${SUMS} FROM analytics_incident_hours a ${where('a')} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`, bindings);
  await trx.raw(`INSERT INTO analytics_zone_hours (tenant_id, environment, hour, timezone, type, shadow, incidents)
    SELECT a.tenant_id, a.environment, a.hour, s.timezone, a.type, a.shadow, sum(a.incidents)::int
    FROM analytics_incident_hours a JOIN stores s ON s.tenant_id = a.tenant_id AND s.id = a.store_id ${where('a')} GROUP BY 1, 2, 3, 4, 5, 6`, bindings);
  // The POS hours from the raw tables, through the roll-up's own statement over every hour a linked transaction began in.
  await trx.raw(`CREATE TEMP TABLE analytics_touched ON COMMIT DROP AS SELECT DISTINCT t.tenant_id, t.environment, date_trunc('hour', coalesce(t.begin_at, t.occurred_at), 'UTC') AS hour, t.store_id
    FROM pos_incident_links l JOIN pos_transactions t ON t.tenant_id = l.tenant_id AND t.id = l.pos_transaction_id WHERE t.store_id IS NOT NULL ${tenantId ? 'AND l.tenant_id = ?' : ''}`, bindings);
  await analyzed(trx, 'analytics_touched');
  await refreshPosExceptions(trx);
}
