import type { User } from '../../../models/index.js';
import { iso } from '../common-schemas.js';

/** The provider's subject stays internal: the issuer says where a person logs in, which is enough to read. */
export function presentUser(user: User) {
  return {
    id: user.id, email: user.email, name: user.name, role: user.role, storeIds: user.storeIds, regionIds: user.regionIds,
    issuer: user.issuer, provisionedBy: user.provisionedBy,
    createdAt: user.createdAt.toISOString(), updatedAt: user.updatedAt.toISOString(), lastLoginAt: iso(user.lastLoginAt), disabledAt: iso(user.disabledAt),
  };
}
