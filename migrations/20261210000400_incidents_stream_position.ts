import type { Knex } from 'knex';

// Issue "Review console": the live queue (`GET /v1/incidents/stream`) reads, every second and on every
// connection, the incidents changed after its position `(updated_at, id)` and those of the last few seconds.
// Without an index each round scans every incident of the tenant (about half a second over a million, on the
// hub's pool, while the next page waits); with it, each round reads only the few changed rows off the index.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX incidents_stream_position ON incidents (tenant_id, updated_at, id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS incidents_stream_position');
}
