import type { RoleRules } from './types.js';

/** lp_admin defines the tenant: everything within it, nothing beyond (tenancy is enforced below CASL). */
export const adminRules: RoleRules = {
  lp_admin: [{ action: 'manage', subject: 'all' }],
};
