import type { Knex } from 'knex';
import { RUNTIME_ROLE } from '../../migrations/support/rls.js';

/**
 * A transaction bound to one tenant (`vigil.tenant_id`, which row-level security reads), for the evidence
 * routes that stream raw bytes outside `defineRoute`. Like `defineRoute`, it runs as the runtime role
 * unless `asOwner` (background jobs work across tenants as the connecting role).
 */
export function tenantTransaction<T>(knex: Knex, tenantId: string, fn: (trx: Knex.Transaction) => Promise<T>, options: { asOwner?: boolean } = {}): Promise<T> {
  return knex.transaction(async (trx) => {
    if (options.asOwner) await trx.raw("SELECT set_config('vigil.tenant_id', ?, true)", [tenantId]);
    else await trx.raw("SELECT set_config('vigil.tenant_id', ?, true), set_config('role', ?, true)", [tenantId, RUNTIME_ROLE]);
    return fn(trx);
  });
}
