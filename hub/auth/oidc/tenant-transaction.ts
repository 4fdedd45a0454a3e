import type { Knex } from 'knex';
import { RUNTIME_ROLE } from '../../../models/index.js';

/**
 * Runs `work` in a transaction bound to one tenant and as the runtime role, exactly like an API handler,
 * so row-level security holds for the identity tables even though authentication runs before the route.
 */
export function inTenant<T>(knex: Knex, tenantId: string, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return knex.transaction(async (trx) => {
    await trx.raw("SELECT set_config('vigil.tenant_id', ?, true), set_config('role', ?, true)", [tenantId, RUNTIME_ROLE]);
    return work(trx);
  });
}
