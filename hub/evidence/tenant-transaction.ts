import type { Knex } from 'knex';
import { withTenant } from '../../models/index.js';

/** A tenant id (production), or a tenant and one of its environments. */
export type EvidenceScope = string | { tenantId: string; environment?: string | undefined };

/**
 * A transaction bound to one tenant and environment, for the evidence routes that stream raw bytes outside
 * `defineRoute`. Like `defineRoute`, it runs as the runtime role unless `asOwner` (background jobs work
 * across tenants as the connecting role).
 */
export function tenantTransaction<T>(knex: Knex, scope: EvidenceScope, fn: (trx: Knex.Transaction) => Promise<T>, options: { asOwner?: boolean; environment?: string | undefined } = {}): Promise<T> {
  const tenantId = typeof scope === 'string' ? scope : scope.tenantId;
  const environment = options.environment ?? (typeof scope === 'string' ? undefined : scope.environment);
  return withTenant(knex, tenantId, { as: options.asOwner ? 'owner' : 'runtime', ...(environment ? { environment } : {}) }, fn);
}
