import type { Knex } from 'knex';
import { HISTOGRAM_SIZE } from './roll-up.js';
import { summarise, type DurationSummary } from './percentiles.js';

const TABLE = 'analytics_incident_hours';

export const DIMENSIONS = ['store', 'lane', 'region', 'type', 'severity'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const INTERVALS = ['hour', 'day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

const DIMENSION_COLUMN: Record<Dimension, string> = { store: 'store_id', lane: 'lane_id', region: 'region_id', type: 'type', severity: 'severity' };

export interface AnalyticsFilter {
  /** Hours starting at or after `from` and before `to` (the rollup's grain is the hour). */
  from: Date;
  to: Date;
  regionId?: string | undefined;
  storeId?: string | undefined;
  laneId?: string | undefined;
  type?: string | undefined;
  severity?: string | undefined;
}

/** Narrows a query to the rows the caller may read (the incidents' CASL rules, applied in SQL to the rollup). */
export type ScopeFilter = (qb: Knex.QueryBuilder, table: string) => void;

function base(trx: Knex.Transaction, tenantId: string, filter: AnalyticsFilter, scope: ScopeFilter): Knex.QueryBuilder {
  const qb = trx(TABLE).where(`${TABLE}.tenant_id`, tenantId).where(`${TABLE}.hour`, '>=', filter.from).where(`${TABLE}.hour`, '<', filter.to);
  const eq: Array<[keyof AnalyticsFilter, string]> = [['regionId', 'region_id'], ['storeId', 'store_id'], ['laneId', 'lane_id'], ['type', 'type'], ['severity', 'severity']];
  for (const [key, column] of eq) {
    const value = filter[key];
    if (value !== undefined) void qb.where(`${TABLE}.${column}`, value as string);
  }
  scope(qb, TABLE);
  return qb;
}

const bucketSql = (interval: Interval | undefined) => (interval ? `date_trunc('${interval}', ${TABLE}.hour, 'UTC')` : 'NULL::timestamptz');
const keySql = (by: Dimension | undefined) => (by ? `${TABLE}.${DIMENSION_COLUMN[by]}` : 'NULL::text');

export interface SeriesRow { bucket: string | null; key: string | null; incidents: number; events: number }

/** Incidents (and their events) per time bucket and dimension value. */
export async function incidentSeries(trx: Knex.Transaction, tenantId: string, filter: AnalyticsFilter, scope: ScopeFilter, by: Dimension | undefined, interval: Interval | undefined): Promise<SeriesRow[]> {
  const rows = await base(trx, tenantId, filter, scope)
    .select(trx.raw(`${bucketSql(interval)} AS bucket`), trx.raw(`${keySql(by)} AS key`), trx.raw('sum(incidents)::bigint AS incidents'), trx.raw('sum(events)::bigint AS events'))
    .groupByRaw('1, 2').orderByRaw('1, 2') as Array<{ bucket: Date | null; key: string | null; incidents: string; events: string }>;
  return rows.map((r) => ({ bucket: r.bucket ? new Date(r.bucket).toISOString() : null, key: r.key, incidents: Number(r.incidents), events: Number(r.events) }));
}

export interface HeatmapCell { weekday: number; hour: number; incidents: number }

/** Incidents by ISO weekday (1 Monday … 7 Sunday) and hour of the day, each in its store's time zone. */
export async function incidentHeatmap(trx: Knex.Transaction, tenantId: string, filter: AnalyticsFilter, scope: ScopeFilter): Promise<HeatmapCell[]> {
  const local = `(${TABLE}.hour AT TIME ZONE stores.timezone)`;
  const rows = await base(trx, tenantId, filter, scope)
    .join('stores', (j) => j.on('stores.tenant_id', '=', `${TABLE}.tenant_id`).andOn('stores.id', '=', `${TABLE}.store_id`))
    .select(trx.raw(`extract(isodow FROM ${local})::int AS weekday`), trx.raw(`extract(hour FROM ${local})::int AS hour`), trx.raw(`sum(${TABLE}.incidents)::bigint AS incidents`))
    .groupByRaw('1, 2').orderByRaw('1, 2') as Array<{ weekday: number; hour: number; incidents: string }>;
  return rows.map((r) => ({ weekday: Number(r.weekday), hour: Number(r.hour), incidents: Number(r.incidents) }));
}

export interface ResponseTimeRow { key: string | null; incidents: number; acknowledged: DurationSummary; resolved: DurationSummary }

const histogramSums = (column: string) => Array.from({ length: HISTOGRAM_SIZE }, (_, i) => `sum(${TABLE}.${column}[${i + 1}])`).join(', ');

/** Time to acknowledge and to resolve, p50 and p90 from the summed histograms, per dimension value. */
export async function responseTimes(trx: Knex.Transaction, tenantId: string, filter: AnalyticsFilter, scope: ScopeFilter, by: Dimension | undefined): Promise<ResponseTimeRow[]> {
  const rows = await base(trx, tenantId, filter, scope)
    .select(trx.raw(`${keySql(by)} AS key`), trx.raw('sum(incidents)::bigint AS incidents'),
      trx.raw(`ARRAY[${histogramSums('ack_histogram')}]::bigint[] AS ack`), trx.raw(`ARRAY[${histogramSums('resolve_histogram')}]::bigint[] AS res`))
    .groupByRaw('1').orderByRaw('1') as Array<{ key: string | null; incidents: string; ack: Array<string | number>; res: Array<string | number> }>;
  return rows.map((r) => ({ key: r.key, incidents: Number(r.incidents), acknowledged: summarise(r.ack.map(Number)), resolved: summarise(r.res.map(Number)) }));
}

export interface OutcomeRow { key: string | null; outcome: string; incidents: number; recoveredValue: number }

/** Resolved incidents by outcome result, with the value recovered, per dimension value. */
export async function outcomes(trx: Knex.Transaction, tenantId: string, filter: AnalyticsFilter, scope: ScopeFilter, by: Dimension | undefined): Promise<OutcomeRow[]> {
  const rows = await base(trx, tenantId, filter, scope).whereNotNull(`${TABLE}.outcome`)
    .select(trx.raw(`${keySql(by)} AS key`), `${TABLE}.outcome`, trx.raw(`sum(${TABLE}.resolved)::bigint AS incidents`), trx.raw(`sum(${TABLE}.recovered_value) AS recovered`))
    .groupByRaw('1, 2').orderByRaw('1, 2') as Array<{ key: string | null; outcome: string; incidents: string; recovered: string }>;
  return rows.map((r) => ({ key: r.key, outcome: r.outcome, incidents: Number(r.incidents), recoveredValue: Number(r.recovered) }));
}

/** Names for the ids a figure is keyed by (stores, lanes, regions), for labels; types and severities are their own names. */
export async function labelsFor(trx: Knex.Transaction, tenantId: string, by: Dimension | undefined, keys: Array<string | null>): Promise<Map<string, string>> {
  const table = by === 'store' ? 'stores' : by === 'lane' ? 'lanes' : by === 'region' ? 'regions' : null;
  const ids = [...new Set(keys.filter((k): k is string => k !== null))];
  if (!table || ids.length === 0) return new Map(ids.map((id) => [id, id]));
  const rows = await trx(table).where('tenant_id', tenantId).whereIn('id', ids).select('id', 'name') as Array<{ id: string; name: string }>;
  return new Map(rows.map((r) => [r.id, r.name]));
}
