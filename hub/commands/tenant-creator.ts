import type { Knex } from 'knex';
import { newId } from '../../contracts/index.js';
import { Tenant } from '../../models/index.js';
import { writeAudit } from '../audit/index.js';
import { mintApiToken } from '../auth/api-tokens.js';

export interface CreatedTenant {
  tenant: Tenant;
  adminToken: string;
  adminTokenId: string;
}

/** Bootstraps a tenant with its first lp_admin token; both are audited as the system actor. */
export async function createTenant(knex: Knex, name: string, requestId: string | null = null): Promise<CreatedTenant> {
  return knex.transaction(async (trx) => {
    const tenant = await Tenant.query(trx).insertAndFetch({ id: newId('tenant'), name, settings: {} });
    const ctx = { actor: { type: 'system' as const, id: 'vigil-cli' }, tenantId: tenant.id, requestId, clientAddress: null, trx };
    const { token, record } = await mintApiToken(trx, { tenantId: tenant.id, role: 'lp_admin', name: 'bootstrap admin', createdBy: 'vigil-cli' });
    await writeAudit(ctx, [
      { action: 'tenant.created', subjectType: 'Tenant', subjectId: tenant.id, after: { name } },
      { action: 'token.created', subjectType: 'ApiToken', subjectId: record.id, after: { role: 'lp_admin', principalId: record.principalId } },
    ]);
    return { tenant, adminToken: token, adminTokenId: record.id };
  });
}
