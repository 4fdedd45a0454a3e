import type { Knex } from 'knex';
import { AppError } from '../../../contracts/index.js';
import { bindTenant, PRODUCTION, Store, type User } from '../../../models/index.js';
import { ROLES, type Principal, type Role } from '../../../policies/index.js';

/**
 * A user row as the principal the policies see, acting in `environment` (one the user may use, else
 * refused); regional roles also get every store of their regions in that environment. Rebinds `trx` to
 * the environment, so the lookups that follow see its stores.
 */
export async function principalForUser(trx: Knex.Transaction, user: User, environment: string = PRODUCTION): Promise<Principal> {
  const role = (ROLES as readonly string[]).includes(user.role) ? (user.role as Role) : null;
  if (!role) throw new AppError('internal', `user ${user.id} has an unknown role ${user.role}`);
  if (!user.environments.includes(environment)) throw new AppError('forbidden', `you may not use the ${environment} environment; switch to one of: ${user.environments.join(', ')}`);
  await bindTenant(trx, user.tenantId, { environment });
  const regionStores = user.regionIds.length === 0
    ? []
    : (await Store.forTenant(trx, user.tenantId).whereIn('region_id', user.regionIds).select('id')).map((row) => row.id);
  return {
    tenantId: user.tenantId,
    environment,
    principalId: user.id,
    kind: 'user',
    role,
    storeIds: [...new Set([...user.storeIds, ...regionStores])],
    regionIds: user.regionIds,
  };
}
