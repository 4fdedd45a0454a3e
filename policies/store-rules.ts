import type { RoleRules } from './types.js';

const ownStores = { storeId: { $in: '${user.storeIds}' } };

/**
 * A store's detection rules (thresholds, zones, per-lane overrides): whoever reads the store reads them, and
 * the store's plugin pulls them to run. Only lp_admin (manage all) replaces them by default; a tenant policy
 * may let store or regional managers tune their own stores (`update StoreRules` with a storeId/regionId
 * condition), or hide thresholds from store staff with an inverted read.
 */
export const storeRulesRules: RoleRules = {
  store_staff: [{ action: 'read', subject: 'StoreRules', conditions: ownStores }],
  store_manager: [{ action: 'read', subject: 'StoreRules', conditions: ownStores }],
  regional_manager: [{ action: 'read', subject: 'StoreRules', conditions: { regionId: { $in: '${user.regionIds}' } } }],
  central_reviewer: [{ action: 'read', subject: 'StoreRules' }],
  it_integrator: [{ action: 'read', subject: 'StoreRules' }],
  auditor: [{ action: 'read', subject: 'StoreRules' }],
  plugin: [{ action: 'read', subject: 'StoreRules', conditions: ownStores }],
};
