import type { RoleRules } from './types.js';

/** Incidents: store roles see and act on their stores, regional managers their regions, reviewers the tenant. */
export const incidentRules: RoleRules = {
  store_staff: [{ action: ['read', 'transition', 'comment'], subject: 'Incident', conditions: { storeId: { $in: '${user.storeIds}' } } }],
  store_manager: [{ action: ['read', 'transition', 'comment'], subject: 'Incident', conditions: { storeId: { $in: '${user.storeIds}' } } }],
  regional_manager: [{ action: ['read', 'transition', 'comment'], subject: 'Incident', conditions: { regionId: { $in: '${user.regionIds}' } } }],
  central_reviewer: [{ action: ['read', 'transition', 'comment'], subject: 'Incident' }],
  it_integrator: [{ action: 'read', subject: 'Incident' }],
  auditor: [{ action: 'read', subject: 'Incident' }],
};
