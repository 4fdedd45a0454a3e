import type { Knex } from 'knex';
import { AppError } from '../../../contracts/index.js';
import { Store, type User } from '../../../models/index.js';
import { ROLES, type Principal, type Role } from '../../../policies/index.js';

/** A user row as the principal the policies see; regional roles also get every store of their regions. */
export async function principalForUser(trx: Knex.Transaction, user: User): Promise<Principal> {
  const role = (ROLES as readonly string[]).includes(user.role) ? (user.role as Role) : null;
  if (!role) throw new AppError('internal', `user ${user.id} has an unknown role ${user.role}`);
  const regionStores = user.regionIds.length === 0
    ? []
    : (await Store.forTenant(trx, user.tenantId).whereIn('region_id', user.regionIds).select('id')).map((row) => row.id);
  return {
    tenantId: user.tenantId,
    principalId: user.id,
    kind: 'user',
    role,
    storeIds: [...new Set([...user.storeIds, ...regionStores])],
    regionIds: user.regionIds,
  };
}
