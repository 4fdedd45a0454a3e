import type { Role, RoleRules, RuleTemplate } from './types.js';

/** Every person may read their own user record; only lp_admin (manage all) creates, edits or disables users. */
const readSelf: RuleTemplate[] = [{ action: 'read', subject: 'User', conditions: { id: '${user.id}' } }];

const HUMAN_ROLES: Role[] = ['store_staff', 'store_manager', 'regional_manager', 'central_reviewer', 'it_integrator', 'auditor'];

export const userRules: RoleRules = Object.fromEntries(HUMAN_ROLES.map((role) => [role, readSelf]));
