import type { Knex } from 'knex';

/**
 * Folds up to `limit` usage increments (of every tenant) into the daily counters in one statement: the
 * rows are deleted and their sums added in the same transaction, so a total is never counted twice or
 * lost; rows another worker is folding are skipped. Runs as the owner role (the worker). Returns how many
 * increments were folded.
 */
export async function rollUpUsage(knex: Knex, limit = 10_000): Promise<number> {
  const { rows } = await knex.raw<{ rows: Array<{ folded: number }> }>(`
    WITH picked AS (
      SELECT tenant_id, id FROM usage_increments ORDER BY tenant_id, id LIMIT ? FOR UPDATE SKIP LOCKED
    ), moved AS (
      DELETE FROM usage_increments u USING picked p WHERE u.tenant_id = p.tenant_id AND u.id = p.id
      RETURNING u.tenant_id, u.day, u.metric, u.value
    ), summed AS (
      INSERT INTO usage_counters (tenant_id, day, metric, value)
      SELECT tenant_id, day, metric, sum(value) FROM moved GROUP BY tenant_id, day, metric
      ON CONFLICT (tenant_id, day, metric) DO UPDATE SET value = usage_counters.value + EXCLUDED.value
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM moved)::int AS folded, (SELECT count(*) FROM summed)::int AS counters`, [limit]);
  return rows[0]?.folded ?? 0;
}

export interface UsageDay {
  day: string;
  metric: string;
  value: number;
}

/** A tenant's usage per day and metric between two days (UTC, inclusive): the rolled-up counters plus the increments not folded yet. */
export async function usageByDay(trx: Knex | Knex.Transaction, tenantId: string, from: string, to: string): Promise<UsageDay[]> {
  const { rows } = await trx.raw<{ rows: Array<{ day: string; metric: string; value: string | number }> }>(`
    SELECT to_char(day, 'YYYY-MM-DD') AS day, metric, sum(value) AS value FROM (
      SELECT day, metric, value FROM usage_counters WHERE tenant_id = ? AND day BETWEEN ?::date AND ?::date
      UNION ALL
      SELECT day, metric, value FROM usage_increments WHERE tenant_id = ? AND day BETWEEN ?::date AND ?::date
    ) u GROUP BY day, metric ORDER BY day, metric`, [tenantId, from, to, tenantId, from, to]);
  return rows.map((r) => ({ day: r.day, metric: r.metric, value: Number(r.value) }));
}
