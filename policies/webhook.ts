import type { RoleRules } from './types.js';

/**
 * Webhook endpoints and routing policies wire Vigil to outside systems: IT integrators own the endpoints,
 * loss-prevention admins (manage all) own both; regional managers may read the routes of their regions.
 * POS exports are posted by integration identities.
 */
export const webhookRules: RoleRules = {
  it_integrator: [
    { action: ['read', 'create', 'update'], subject: 'Webhook' },
    { action: 'read', subject: 'RoutingPolicy' },
    { action: 'ingest', subject: 'PosTransaction' },
  ],
  regional_manager: [{ action: 'read', subject: 'RoutingPolicy', conditions: { regionId: { $in: '${user.regionIds}' } } }],
  auditor: [{ action: 'read', subject: ['Webhook', 'RoutingPolicy'] }],
};
