import type { Knex } from 'knex';

export const PARTITIONED_TABLES = ['detection_events', 'audit_records', 'webhook_attempts', 'pos_transactions'] as const;

function monthStart(year: number, month: number): Date {
  return new Date(Date.UTC(year, month, 1));
}

const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

/**
 * Makes monthly partitions from last month to `monthsAhead` months ahead for each time-partitioned table.
 * Idempotent; run at hub start and daily by the worker. Rows outside these months land in the default
 * partition, so nothing is ever refused for want of a partition. Each new partition gets its parent's
 * row-level security (enabled and forced) and the runtime role's grants of the parent, no more.
 */
export async function ensureMonthlyPartitions(knex: Knex, now: Date = new Date(), monthsAhead = 2): Promise<string[]> {
  const made: string[] = [];
  for (const table of PARTITIONED_TABLES) {
    for (let offset = -1; offset <= monthsAhead; offset += 1) {
      const from = monthStart(now.getUTCFullYear(), now.getUTCMonth() + offset);
      const to = monthStart(from.getUTCFullYear(), from.getUTCMonth() + 1);
      const name = `${table}_${from.getUTCFullYear()}${String(from.getUTCMonth() + 1).padStart(2, '0')}`;
      const exists = await knex.raw<{ rows: unknown[] }>('SELECT 1 FROM pg_class WHERE relname = ?', [name]);
      if (exists.rows.length > 0) continue;
      const rowsInDefault = await knex.raw<{ rows: unknown[] }>(
        `SELECT 1 FROM ${table}_default WHERE occurred_at >= ? AND occurred_at < ? LIMIT 1`,
        [from, to],
      );
      // A month that already has rows in the default partition keeps them there.
      if (rowsInDefault.rows.length > 0) continue;
      await knex.transaction(async (trx) => {
        await trx.raw(`CREATE TABLE IF NOT EXISTS ${name} PARTITION OF ${table} FOR VALUES FROM ('${isoDay(from)}') TO ('${isoDay(to)}')`);
        // In the same transaction: a partition is never visible without its parent's row-level security
        // and grants (the rule is the schema's own, see migration 20261125000500).
        await trx.raw('SELECT vigil_secure_partition(?::regclass)', [name]);
      });
      made.push(name);
    }
  }
  return made;
}
