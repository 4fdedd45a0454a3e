import type { Knex } from 'knex';
import { AppError } from '../../contracts/index.js';
import { ApiToken, PRODUCTION, Store, User } from '../../models/index.js';
import { ROLES, type Principal, type Role } from '../../policies/index.js';

async function storesOfRegions(knex: Knex, tenantId: string, regionIds: string[]): Promise<string[]> {
  if (regionIds.length === 0) return [];
  return (await Store.query(knex).where('tenant_id', tenantId).whereIn('region_id', regionIds).select('id')).map((s) => s.id);
}

function knownRole(role: string, who: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) throw new AppError('conflict', `${who} has an unknown role ${role}`);
  return role as Role;
}

/** A signed-in person (usr_…) as the hub sees them: the role and scope of their user record. */
async function userPrincipal(knex: Knex, id: string): Promise<Principal | null> {
  const users = await User.query(knex).where('id', id).limit(2);
  if (users.length > 1) throw new AppError('conflict', `${id} exists in more than one tenant`);
  const user = users[0];
  if (!user) return null;
  const regionStores = await storesOfRegions(knex, user.tenantId, user.regionIds);
  return {
    tenantId: user.tenantId,
    environment: user.environments[0] ?? PRODUCTION,
    principalId: user.id,
    kind: 'user',
    role: knownRole(user.role, id),
    storeIds: [...new Set([...user.storeIds, ...regionStores])],
    regionIds: user.regionIds,
  };
}

/** The principal a user, token or identity id stands for, as the API would see it (for offline explanations). */
export async function authenticatedPrincipalOf(knex: Knex, id: string): Promise<Principal> {
  if (id.startsWith('usr_')) {
    const person = await userPrincipal(knex, id);
    if (person) return person;
  }
  const token = await ApiToken.query(knex)
    .where((q) => void q.where('id', id).orWhere('principal_id', id))
    .whereNull('revoked_at')
    .orderBy('id', 'desc')
    .first();
  if (!token) throw new AppError('not_found', `no user, active token or identity ${id}`);
  const regionStores = await storesOfRegions(knex, token.tenantId, token.regionIds);
  return {
    tenantId: token.tenantId,
    environment: token.environment,
    principalId: token.principalId,
    kind: token.role === 'plugin' ? 'service' : 'user',
    role: knownRole(token.role, id),
    storeIds: [...new Set([...token.storeIds, ...regionStores])],
    regionIds: token.regionIds,
    tokenId: token.id,
  };
}
