import type { RoleRules } from './types.js';

/** API tokens: admins mint them; everyone may read their own. */
export const apiTokenRules: RoleRules = {
  it_integrator: [{ action: ['read', 'create'], subject: 'ApiToken', conditions: { role: 'plugin' } }],
};
