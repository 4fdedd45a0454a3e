import type { Knex } from 'knex';
import { withTenant } from '../../models/index.js';

/**
 * A transaction bound to one tenant, for the evidence routes that stream raw bytes outside `defineRoute`.
 * Like `defineRoute`, it runs as the runtime role unless `asOwner` (background jobs work across tenants as
 * the connecting role).
 */
export function tenantTransaction<T>(knex: Knex, tenantId: string, fn: (trx: Knex.Transaction) => Promise<T>, options: { asOwner?: boolean } = {}): Promise<T> {
  return withTenant(knex, tenantId, { as: options.asOwner ? 'owner' : 'runtime' }, fn);
}
