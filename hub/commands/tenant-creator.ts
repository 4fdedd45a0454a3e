import type { Knex } from 'knex';
import { newId } from '../../contracts/index.js';
import { Tenant } from '../../models/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';
import { nowOf } from './clock.js';
import { issueToken } from './token-issuer.js';

export interface CreatedTenant {
  tenant: Tenant;
  adminToken: string;
  adminTokenId: string;
}

/** Bootstraps a tenant with its first lp_admin token; both are audited as the system actor. */
export async function createTenant(knex: Knex, name: string, requestId: string | null = null): Promise<CreatedTenant> {
  return knex.transaction(async (trx) => {
    const base = { actor: { type: 'system' as const, id: 'vigil-cli' }, requestId, clientAddress: null, trx, now: () => new Date() };
    const tenant = await Tenant.query(trx).insertAndFetch({ id: newId('tenant', nowOf(base).getTime()), name, settings: {} });
    const ctx: CommandContext = { ...base, tenantId: tenant.id };
    await writeAudit(ctx, { action: 'tenant.created', subjectType: 'Tenant', subjectId: tenant.id, after: { name } });
    const { token, record } = await issueToken(ctx, { name: 'bootstrap admin', role: 'lp_admin', storeIds: [], regionIds: [], expiresAt: null });
    return { tenant, adminToken: token, adminTokenId: record.id };
  });
}
