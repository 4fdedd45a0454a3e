import { ROLES, type RoleRules } from './types.js';

/** Everyone may see which environments the tenant has (names and labels only); lp_admin (manage all) adds them. */
export const environmentRules: RoleRules = Object.fromEntries(ROLES.map((role) => [role, [{ action: 'read', subject: 'Environment' }]]));

/** Central review reads pilot programs and their figures; only lp_admin (manage all) starts, promotes or rolls them back. */
export const programRules: RoleRules = {
  central_reviewer: [{ action: 'read', subject: 'Program' }],
  auditor: [{ action: 'read', subject: 'Program' }],
};
