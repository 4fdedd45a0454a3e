import type { Knex } from 'knex';
import { HISTOGRAM_SIZE } from './histogram.js';
import { FIGURE_LEVELS, HOURS, ZONE_HOURS, chooseLevel, columnOf, slices, unionOf, type LevelField, type Slice } from './levels-choice.js';
import { summarise, type DurationSummary } from './percentiles.js';

export const DIMENSIONS = ['store', 'lane', 'region', 'type', 'severity'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const INTERVALS = ['hour', 'day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

const DIMENSION_FIELD: Record<Dimension, LevelField> = { store: 'storeId', lane: 'laneId', region: 'regionId', type: 'type', severity: 'severity' };
const FILTER_FIELDS = ['regionId', 'storeId', 'laneId', 'type', 'severity'] as const;

export interface AnalyticsFilter {
  /** Hours starting at or after `from` and before `to` (whole hours: the finest grain). */
  from: Date;
  to: Date;
  regionId?: string | undefined;
  storeId?: string | undefined;
  laneId?: string | undefined;
  type?: string | undefined;
  severity?: string | undefined;
}

/** Narrows a query to the rows the caller may read (the incidents' CASL rules, applied in SQL to a rollup), and the fields those rules name. */
export interface ScopeFilter {
  fields: readonly string[];
  apply: (qb: Knex.QueryBuilder, table: string) => void;
}

/** What every figure reads: a tenant's filtered, scoped rollup. `finest` reads the hourly level only (tests compare the levels). */
export interface Source {
  trx: Knex.Transaction;
  tenantId: string;
  filter: AnalyticsFilter;
  scope: ScopeFilter;
  finest?: boolean;
}

function neededFields(source: Source, by: Dimension | undefined, extra: LevelField[] = []): Set<string> {
  const fields = new Set<string>([...source.scope.fields, ...extra]);
  for (const key of FILTER_FIELDS) if (source.filter[key] !== undefined) fields.add(key);
  if (by) fields.add(DIMENSION_FIELD[by]);
  return fields;
}

/** One slice of the range from one level, filtered and scoped, projecting the figure's columns. */
function slice(source: Source, { level, from, to }: Slice, project: (table: string) => string[]): Knex.QueryBuilder {
  const t = level.table;
  const qb = source.trx(t).where(`${t}.tenant_id`, source.tenantId).where(`${t}.${level.time}`, '>=', from).where(`${t}.${level.time}`, '<', to);
  for (const key of FILTER_FIELDS) {
    const value = source.filter[key];
    if (value !== undefined) void qb.where(columnOf(t, key), value);
  }
  source.scope.apply(qb, t);
  return qb.select(source.trx.raw(project(t).join(', ')));
}

/** The figure's rows from the coarsest level that answers it, as one derived table `src` (time column `t`). */
function sourceOf(source: Source, needed: Set<string>, project: (table: string) => string[], interval?: Interval): Knex.Raw {
  const level = source.finest ? HOURS : chooseLevel(FIGURE_LEVELS, needed, interval);
  const parts = slices(level, source.filter.from, source.filter.to).map((s) => slice(source, s, (t) => [`${t}.${s.level.time} AS t`, ...project(t)]));
  return unionOf(source.trx, parts);
}

const keySql = (table: string, by: Dimension | undefined) => `${by ? columnOf(table, DIMENSION_FIELD[by]) : 'NULL::text'} AS key`;

export interface SeriesRow { bucket: string | null; key: string | null; incidents: number; events: number }

/** Incidents (and their events) per time bucket and dimension value. */
export async function incidentSeries(source: Source, by: Dimension | undefined, interval: Interval | undefined): Promise<SeriesRow[]> {
  const { trx } = source;
  const from = sourceOf(source, neededFields(source, by), (t) => [keySql(t, by), `${t}.incidents`, `${t}.events`], interval);
  const bucket = interval ? `date_trunc('${interval}', src.t, 'UTC')` : 'NULL::timestamptz';
  const rows = await trx.from(from)
    .select(trx.raw(`${bucket} AS bucket`), trx.raw('src.key'), trx.raw('sum(src.incidents)::bigint AS incidents'), trx.raw('sum(src.events)::bigint AS events'))
    .groupByRaw('1, 2').orderByRaw('1, 2') as Array<{ bucket: Date | null; key: string | null; incidents: string; events: string }>;
  return rows.map((r) => ({ bucket: r.bucket ? new Date(r.bucket).toISOString() : null, key: r.key, incidents: Number(r.incidents), events: Number(r.events) }));
}

export interface HeatmapCell { weekday: number; hour: number; incidents: number }

/** Incidents by ISO weekday (1 Monday … 7 Sunday) and hour of the day, each in its store's time zone. */
export async function incidentHeatmap(source: Source): Promise<HeatmapCell[]> {
  const needed = neededFields(source, undefined);
  const zoned = !source.finest && [...needed].every((f) => (ZONE_HOURS.fields as readonly string[]).includes(f));
  const level = zoned ? ZONE_HOURS : HOURS;
  const t = level.table;
  const qb = slice(source, { level, from: source.filter.from, to: source.filter.to }, () => [
    `extract(isodow FROM (${t}.hour AT TIME ZONE ${zoned ? `${t}.timezone` : 'stores.timezone'}))::int AS weekday`,
    `extract(hour FROM (${t}.hour AT TIME ZONE ${zoned ? `${t}.timezone` : 'stores.timezone'}))::int AS hour`,
    `sum(${t}.incidents)::bigint AS incidents`,
  ]);
  if (!zoned) void qb.join('stores', (j) => j.on('stores.tenant_id', '=', `${t}.tenant_id`).andOn('stores.id', '=', `${t}.store_id`));
  const rows = await qb.groupByRaw('1, 2').orderByRaw('1, 2') as Array<{ weekday: number; hour: number; incidents: string }>;
  return rows.map((r) => ({ weekday: Number(r.weekday), hour: Number(r.hour), incidents: Number(r.incidents) }));
}

export interface ResponseTimeRow { key: string | null; incidents: number; acknowledged: DurationSummary; resolved: DurationSummary }

const histogramSums = (column: string) => Array.from({ length: HISTOGRAM_SIZE }, (_, i) => `sum(src.${column}[${i + 1}])`).join(', ');

/** Time to acknowledge and to resolve, p50 and p90 from the summed histograms, per dimension value. */
export async function responseTimes(source: Source, by: Dimension | undefined): Promise<ResponseTimeRow[]> {
  const { trx } = source;
  const from = sourceOf(source, neededFields(source, by), (t) => [keySql(t, by), `${t}.incidents`, `${t}.ack_histogram AS ack`, `${t}.resolve_histogram AS res`]);
  const rows = await trx.from(from)
    .select(trx.raw('src.key'), trx.raw('sum(src.incidents)::bigint AS incidents'), trx.raw(`ARRAY[${histogramSums('ack')}]::bigint[] AS ack`), trx.raw(`ARRAY[${histogramSums('res')}]::bigint[] AS res`))
    .groupByRaw('1').orderByRaw('1') as Array<{ key: string | null; incidents: string; ack: Array<string | number>; res: Array<string | number> }>;
  return rows.map((r) => ({ key: r.key, incidents: Number(r.incidents), acknowledged: summarise(r.ack.map(Number)), resolved: summarise(r.res.map(Number)) }));
}

export interface OutcomeRow { key: string | null; outcome: string; incidents: number; recoveredValue: number }

/** Resolved incidents by outcome result, with the value recovered, per dimension value. */
export async function outcomes(source: Source, by: Dimension | undefined): Promise<OutcomeRow[]> {
  const { trx } = source;
  const from = sourceOf(source, neededFields(source, by, ['outcome']), (t) => [keySql(t, by), `${t}.outcome`, `${t}.resolved`, `${t}.recovered_value`]);
  const rows = await trx.from(from).whereNotNull('src.outcome')
    .select(trx.raw('src.key'), trx.raw('src.outcome'), trx.raw('sum(src.resolved)::bigint AS incidents'), trx.raw('sum(src.recovered_value) AS recovered'))
    .groupByRaw('1, 2').orderByRaw('1, 2') as Array<{ key: string | null; outcome: string; incidents: string; recovered: string }>;
  return rows.map((r) => ({ key: r.key, outcome: r.outcome, incidents: Number(r.incidents), recoveredValue: Number(r.recovered) }));
}

/** Names for the ids a figure is keyed by (stores, lanes, regions), for labels; types and severities are their own names. */
export async function labelsFor(trx: Knex.Transaction, tenantId: string, by: Dimension | undefined, keys: Array<string | null>): Promise<Map<string, string>> {
  const table = by === 'store' ? 'stores' : by === 'lane' ? 'lanes' : by === 'region' ? 'regions' : null;
  const ids = [...new Set(keys.filter((k): k is string => k !== null))];
  if (!table || ids.length === 0) return new Map(ids.map((id) => [id, id]));
  return namesIn(trx, tenantId, table, ids);
}

/** The names of the tenant's records of `table` (stores, lanes, regions, cameras) by id; unknown ids are left out. */
export async function namesIn(trx: Knex.Transaction, tenantId: string, table: 'stores' | 'lanes' | 'regions' | 'cameras', ids: string[]): Promise<Map<string, string>> {
  const rows = await trx(table).where('tenant_id', tenantId).whereRaw('id = ANY(?)', [ids]).select('id', 'name') as Array<{ id: string; name: string }>;
  return new Map(rows.map((r) => [r.id, r.name]));
}
