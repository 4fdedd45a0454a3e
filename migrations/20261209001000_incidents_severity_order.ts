import type { Knex } from 'knex';

// Issue "Review console": the queue's order is most severe first, newest first within a severity
// (hub/api/incidents/severity-order.ts). Without an index on that expression a reviewer's first page sorts
// every incident of the tenant; with it, PostgreSQL reads the first page off the index. The expression must
// stay the one SEVERITY_RANK_SQL writes, or the planner cannot use it.
const RANK = "(CASE severity WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 WHEN 'critical' THEN 4 ELSE 0 END)";

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX incidents_severity_order ON incidents (tenant_id, ${RANK} DESC, id DESC)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS incidents_severity_order');
}
