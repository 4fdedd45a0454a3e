import type { Knex } from 'knex';
import { AppError } from '../../contracts/index.js';
import { ApiToken, Store } from '../../models/index.js';
import type { Principal, Role } from '../../policies/index.js';

/** The principal a token or identity id stands for, as the API would see it (for offline explanations). */
export async function authenticatedPrincipalOf(knex: Knex, id: string): Promise<Principal> {
  const token = await ApiToken.query(knex)
    .where((q) => void q.where('id', id).orWhere('principal_id', id))
    .whereNull('revoked_at')
    .orderBy('id', 'desc')
    .first();
  if (!token) throw new AppError('not_found', `no active token or identity ${id}`);
  const regionStores = token.regionIds.length ? (await Store.query(knex).where('tenant_id', token.tenantId).whereIn('region_id', token.regionIds).select('id')).map((s) => s.id) : [];
  return {
    tenantId: token.tenantId,
    principalId: token.principalId,
    kind: token.role === 'plugin' ? 'service' : 'user',
    role: token.role as Role,
    storeIds: [...new Set([...token.storeIds, ...regionStores])],
    regionIds: token.regionIds,
    tokenId: token.id,
  };
}
