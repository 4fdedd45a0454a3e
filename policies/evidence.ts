import type { RoleRules } from './types.js';

/**
 * Evidence items. Viewing an item linked to an incident follows the incident's rules (checked with
 * `Incident`); these rules cover what is evidence-specific: plugins upload for their own stores, legal holds
 * and retention belong to reviewers and admins, and an unredacted export is its own permission (`unredact`),
 * which only lp_admin holds by default (through `manage all`) or a tenant grants explicitly.
 */
export const evidenceRules: RoleRules = {
  plugin: [{ action: 'create', subject: 'Evidence', conditions: { storeId: { $in: '${user.storeIds}' } } }],
  store_staff: [{ action: 'read', subject: 'Evidence', conditions: { storeId: { $in: '${user.storeIds}' } } }],
  store_manager: [{ action: 'read', subject: 'Evidence', conditions: { storeId: { $in: '${user.storeIds}' } } }],
  regional_manager: [{ action: 'read', subject: 'Evidence', conditions: { regionId: { $in: '${user.regionIds}' } } }],
  central_reviewer: [
    { action: ['read', 'update'], subject: 'Evidence' },
    { action: 'read', subject: 'RetentionPolicy' },
  ],
  auditor: [
    { action: 'read', subject: 'Evidence' },
    { action: 'read', subject: 'RetentionPolicy' },
  ],
};
