import type { Knex } from 'knex';
import type { ScopeFilter } from './queries.js';

const TABLE = 'analytics_pos_exception_hours';

/**
 * Recomputes the POS exception rows of the store hours in `analytics_touched` from the raw tables: each POS
 * transaction with exceptions that is linked to an incident counts once, in the UTC hour it began (its business day when the POS gave no time), with the
 * number of its exception codes; it is shadow when every incident it is linked to is.
 */
export async function refreshPosExceptions(trx: Knex.Transaction): Promise<void> {
  await trx.raw(`DELETE FROM ${TABLE} p USING analytics_touched h
    WHERE p.tenant_id = h.tenant_id AND p.environment = h.environment AND p.store_id = h.store_id AND p.hour = h.hour`);
  await trx.raw(`INSERT INTO ${TABLE} (tenant_id, environment, hour, store_id, region_id, lane_id, operator_id, shadow, transactions, exceptions)
    SELECT tenant_id, environment, hour, store_id, region_id, lane_id, operator_id, shadow, count(*)::int, sum(codes)::int
    FROM (
      SELECT t.tenant_id, t.environment, h.hour, t.store_id, coalesce(t.region_id, min(i.region_id)) AS region_id, coalesce(t.lane_id, min(l.lane_id)) AS lane_id,
        t.operator_id, bool_and(i.shadow) AS shadow, cardinality(t.exceptions) AS codes
      FROM analytics_touched h
      JOIN pos_transactions t ON t.tenant_id = h.tenant_id AND t.environment = h.environment AND t.store_id = h.store_id
        AND coalesce(t.begin_at, t.occurred_at) >= h.hour AND coalesce(t.begin_at, t.occurred_at) < h.hour + interval '1 hour' AND cardinality(t.exceptions) > 0
      JOIN pos_incident_links l ON l.tenant_id = t.tenant_id AND l.pos_transaction_id = t.id
      JOIN incidents i ON i.tenant_id = l.tenant_id AND i.id = l.incident_id
      GROUP BY t.tenant_id, t.environment, h.hour, t.store_id, t.id, t.pos_store_id, t.workstation_id, t.sequence_number, t.occurred_at, t.region_id, t.lane_id, t.operator_id, t.exceptions
    ) x
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`);
}

export const REPEAT_DIMENSIONS = ['lane', 'operator'] as const;
export type RepeatDimension = (typeof REPEAT_DIMENSIONS)[number];

/** The incident fields this rollup keeps, so the incidents' read rules can be applied to it. */
export const POS_EXCEPTION_FIELDS: readonly string[] = ['storeId', 'regionId', 'laneId', 'shadow'];

export interface PosExceptionFilter { from: Date; to: Date; regionId?: string | undefined; storeId?: string | undefined; laneId?: string | undefined }

export interface RepeatRow { storeId: string; key: string | null; transactions: number; exceptions: number }

/**
 * Lanes or POS operators (an operator id is the store's: it is keyed with its store) by the number of linked POS
 * transactions with exceptions in the range, most first; those with at least `min` such transactions, top `limit`.
 */
export async function repeatExceptions(trx: Knex.Transaction, tenantId: string, filter: PosExceptionFilter, scope: ScopeFilter,
  by: RepeatDimension, options: { min: number; limit: number }): Promise<RepeatRow[]> {
  const key = by === 'lane' ? `${TABLE}.lane_id` : `${TABLE}.operator_id`;
  const qb = trx(TABLE).where(`${TABLE}.tenant_id`, tenantId).where(`${TABLE}.hour`, '>=', filter.from).where(`${TABLE}.hour`, '<', filter.to);
  for (const [field, column] of [['regionId', 'region_id'], ['storeId', 'store_id'], ['laneId', 'lane_id']] as const) {
    const value = filter[field];
    if (value !== undefined) void qb.where(`${TABLE}.${column}`, value);
  }
  scope.apply(qb, TABLE);
  const rows = await qb.select(trx.raw(`${TABLE}.store_id AS store_id`), trx.raw(`${key} AS key`), trx.raw('sum(transactions)::bigint AS transactions'), trx.raw('sum(exceptions)::bigint AS exceptions'))
    .groupByRaw('1, 2').havingRaw('sum(transactions) >= ?', [options.min]).orderByRaw('3 DESC, 4 DESC, 1, 2').limit(options.limit) as Array<{ store_id: string; key: string | null; transactions: string; exceptions: string }>;
  return rows.map((r) => ({ storeId: r.store_id, key: r.key, transactions: Number(r.transactions), exceptions: Number(r.exceptions) }));
}
