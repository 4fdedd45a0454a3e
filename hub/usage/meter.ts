import type { Knex } from 'knex';

export const USAGE_METRICS = ['events', 'evidence_bytes', 'webhook_deliveries', 'requests'] as const;
export type UsageMetric = (typeof USAGE_METRICS)[number];

/**
 * Adds to a tenant's daily counter inside the caller's transaction, so the count commits (or not) with the
 * work it measures.
 */
export async function meter(trx: Knex | Knex.Transaction, tenantId: string, metric: UsageMetric, amount: number, at: Date = new Date()): Promise<void> {
  if (amount <= 0) return;
  await trx.raw(
    `INSERT INTO usage_counters (tenant_id, day, metric, value) VALUES (?, ?::date, ?, ?)
     ON CONFLICT (tenant_id, day, metric) DO UPDATE SET value = usage_counters.value + EXCLUDED.value`,
    [tenantId, at.toISOString().slice(0, 10), metric, amount],
  );
}
