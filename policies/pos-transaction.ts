import type { RoleRules } from './types.js';

/**
 * POS transactions are read like incidents: store roles their stores, regional managers their regions,
 * reviewers, integrators and auditors the tenant (lp_admin through `manage all`). A transaction matched
 * to no store is seen tenant-wide only. Posting exports is `ingest` (policies/webhook.ts).
 */
export const posTransactionRules: RoleRules = {
  store_staff: [{ action: 'read', subject: 'PosTransaction', conditions: { storeId: { $in: '${user.storeIds}' } } }],
  store_manager: [{ action: 'read', subject: 'PosTransaction', conditions: { storeId: { $in: '${user.storeIds}' } } }],
  regional_manager: [{ action: 'read', subject: 'PosTransaction', conditions: { regionId: { $in: '${user.regionIds}' } } }],
  central_reviewer: [{ action: 'read', subject: 'PosTransaction' }],
  it_integrator: [{ action: 'read', subject: 'PosTransaction' }],
  auditor: [{ action: 'read', subject: 'PosTransaction' }],
};
