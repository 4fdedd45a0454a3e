import type { RoleRules } from './types.js';

const inOwnStores = { storeId: { $in: '${user.storeIds}' } };

/** Regions, stores, lanes and cameras: the physical estate. */
export const directoryRules: RoleRules = {
  store_staff: [
    { action: 'read', subject: 'Store', conditions: { id: { $in: '${user.storeIds}' } } },
    { action: 'read', subject: ['Lane', 'Camera'], conditions: inOwnStores },
  ],
  store_manager: [
    { action: 'read', subject: 'Store', conditions: { id: { $in: '${user.storeIds}' } } },
    { action: ['read', 'update'], subject: ['Lane', 'Camera'], conditions: inOwnStores },
  ],
  regional_manager: [
    { action: 'read', subject: 'Region', conditions: { id: { $in: '${user.regionIds}' } } },
    { action: 'read', subject: 'Store', conditions: { regionId: { $in: '${user.regionIds}' } } },
    { action: 'read', subject: ['Lane', 'Camera'], conditions: inOwnStores },
  ],
  central_reviewer: [{ action: 'read', subject: ['Region', 'Store', 'Lane', 'Camera'] }],
  it_integrator: [
    { action: 'read', subject: ['Region', 'Store'] },
    { action: ['read', 'create', 'update'], subject: ['Lane', 'Camera', 'Device'] },
  ],
  auditor: [{ action: 'read', subject: ['Region', 'Store', 'Lane', 'Camera', 'Device'] }],
  plugin: [
    { action: 'read', subject: 'Store', conditions: { id: { $in: '${user.storeIds}' } } },
    { action: 'read', subject: ['Lane', 'Camera'], conditions: inOwnStores },
  ],
};
