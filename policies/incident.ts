import type { RoleRules, RuleTemplate } from './types.js';

/** A pilot program's shadow hits are reviewed centrally: nobody in the store sees or is disturbed by them. */
const CENTRAL_ONLY: RuleTemplate = {
  action: ['read', 'transition', 'comment'], subject: 'Incident', conditions: { shadow: true }, inverted: true, reason: 'shadow incidents of pilot programs are reviewed centrally',
};

/** Incidents: store roles see and act on their stores, regional managers their regions, reviewers the tenant. */
export const incidentRules: RoleRules = {
  store_staff: [{ action: ['read', 'transition', 'comment'], subject: 'Incident', conditions: { storeId: { $in: '${user.storeIds}' } } }, CENTRAL_ONLY],
  store_manager: [{ action: ['read', 'transition', 'comment'], subject: 'Incident', conditions: { storeId: { $in: '${user.storeIds}' } } }, CENTRAL_ONLY],
  regional_manager: [{ action: ['read', 'transition', 'comment'], subject: 'Incident', conditions: { regionId: { $in: '${user.regionIds}' } } }],
  central_reviewer: [{ action: ['read', 'transition', 'comment'], subject: 'Incident' }],
  it_integrator: [{ action: 'read', subject: 'Incident' }],
  auditor: [{ action: 'read', subject: 'Incident' }],
};
