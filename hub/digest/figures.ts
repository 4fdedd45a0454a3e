import type { Knex } from 'knex';
import { HISTOGRAM_SIZE } from '../analytics/index.js';
import type { DigestPeriod } from './period.js';

/** Where a digest's figures come from: one tenant's environment and region, over a period and the one before. */
export interface DigestScope {
  trx: Knex.Transaction;
  tenantId: string;
  environment: string;
  regionId: string;
  period: DigestPeriod;
}

export interface KeyCounts { key: string; current: number; previous: number }

/** A rollup level read for a digest: its table, its time column and the column it is keyed by. */
export interface RollupSource { table: string; time: string; key: string }

/**
 * The live (non-shadow) incidents per key in the period and in the one before, from one rollup level. Filters on
 * the tenant and environment explicitly: the worker reads as the owner role, which row-level security may not narrow.
 */
function scoped(scope: DigestScope, { table, time }: RollupSource): Knex.QueryBuilder {
  return scope.trx(table).where({ tenant_id: scope.tenantId, environment: scope.environment, region_id: scope.regionId, shadow: false })
    .where(time, '>=', scope.period.previousStart).where(time, '<', scope.period.end);
}

export async function countsBy(scope: DigestScope, source: RollupSource): Promise<KeyCounts[]> {
  const { trx, period } = scope;
  const rows = await scoped(scope, source).whereNotNull(source.key).groupBy(source.key).select(
    trx.raw('?? AS key', [source.key]),
    trx.raw('coalesce(sum(incidents) FILTER (WHERE ?? >= ?), 0)::int AS current', [source.time, period.start]),
    trx.raw('coalesce(sum(incidents) FILTER (WHERE ?? < ?), 0)::int AS previous', [source.time, period.start]),
  ) as Array<{ key: string; current: number | string; previous: number | string }>;
  return rows.map((r) => ({ key: r.key, current: Number(r.current), previous: Number(r.previous) }));
}

/** The summed time-to-acknowledge histogram of the period's incidents (analytics_region_days). */
export async function ackHistogram(scope: DigestScope): Promise<number[]> {
  const sums = Array.from({ length: HISTOGRAM_SIZE }, (_, i) => `coalesce(sum(ack_histogram[${i + 1}]), 0)`).join(', ');
  const row = await scoped(scope, { table: 'analytics_region_days', time: 'day', key: 'type' }).where('day', '>=', scope.period.start)
    .first(scope.trx.raw(`ARRAY[${sums}]::bigint[] AS histogram`)) as { histogram: Array<string | number> } | undefined;
  return (row?.histogram ?? []).map(Number);
}

/** The rollup levels a digest reads: stores from their days or ISO weeks, types from the region's days, lanes from the hours (the only level that keeps them). */
export function sourcesFor(period: DigestPeriod): { stores: RollupSource; types: RollupSource; lanes: RollupSource } {
  return {
    stores: period.cadence === 'weekly' ? { table: 'analytics_store_weeks', time: 'week', key: 'store_id' } : { table: 'analytics_store_days', time: 'day', key: 'store_id' },
    types: { table: 'analytics_region_days', time: 'day', key: 'type' },
    lanes: { table: 'analytics_incident_hours', time: 'hour', key: 'lane_id' },
  };
}
