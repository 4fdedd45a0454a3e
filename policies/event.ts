import type { RoleRules } from './types.js';

/** Detection events: only a plugin speaks for its own stores. */
export const eventRules: RoleRules = {
  plugin: [{ action: 'ingest', subject: 'Event', conditions: { storeId: { $in: '${user.storeIds}' } } }],
  central_reviewer: [{ action: 'read', subject: 'Event' }],
  auditor: [{ action: 'read', subject: 'Event' }],
};
