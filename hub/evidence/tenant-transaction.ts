import type { Knex } from 'knex';

/**
 * A transaction bound to one tenant (`vigil.tenant_id`, which row-level security reads), for the evidence
 * routes that stream raw bytes outside `defineRoute` and for per-tenant worker units.
 */
export function tenantTransaction<T>(knex: Knex, tenantId: string, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return knex.transaction(async (trx) => {
    await trx.raw("SELECT set_config('vigil.tenant_id', ?, true)", [tenantId]);
    return fn(trx);
  });
}
