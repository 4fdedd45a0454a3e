import type { Knex } from 'knex';
import { withTenant } from '../../../models/index.js';

/**
 * Runs `work` in a transaction bound to one tenant and as the runtime role, exactly like an API handler,
 * so row-level security holds for the identity tables even though authentication runs before the route.
 */
export function inTenant<T>(knex: Knex, tenantId: string, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return withTenant(knex, tenantId, { as: 'runtime' }, work);
}
