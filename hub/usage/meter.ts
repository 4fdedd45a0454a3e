import type { Knex } from 'knex';

export const USAGE_METRICS = ['events', 'evidence_bytes', 'webhook_deliveries', 'requests'] as const;
export type UsageMetric = (typeof USAGE_METRICS)[number];

/**
 * Counts usage inside the caller's transaction, so the count commits (or not) with the work it measures.
 * Each call appends one row to `usage_increments` (no row is updated, so concurrent batches of a tenant
 * never wait for each other here); the worker folds the rows into the daily `usage_counters`
 * (rollUpUsage), and reads add what is not folded yet (usageByDay).
 */
export async function meter(trx: Knex | Knex.Transaction, tenantId: string, metric: UsageMetric, amount: number, at: Date = new Date()): Promise<void> {
  if (amount <= 0) return;
  const { sql, bindings } = usageIncrement(tenantId, metric, amount, at);
  await trx.raw(sql, bindings);
}

/** The statement meter runs, for a command that writes it as part of one of its own (a CTE) to save a round trip. */
export function usageIncrement(tenantId: string, metric: UsageMetric, amount: number, at: Date = new Date()): { sql: string; bindings: [string, string, string, number] } {
  return { sql: 'INSERT INTO usage_increments (tenant_id, day, metric, value) VALUES (?, ?::date, ?, ?) RETURNING 1', bindings: [tenantId, at.toISOString().slice(0, 10), metric, amount] };
}
