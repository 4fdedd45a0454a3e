import type { RoleRules } from './types.js';

/** API tokens: admins mint them; everyone may read their own. */
export const apiTokenRules: RoleRules = {
  it_integrator: [
    { action: ['read', 'create'], subject: 'ApiToken', conditions: { role: 'plugin' } },
    { action: ['read', 'create', 'update'], subject: 'ServiceIdentity' },
    { action: 'read', subject: 'Usage' },
  ],
  auditor: [{ action: 'read', subject: ['ServiceIdentity', 'Policy', 'Usage'] }],
};
