import type { RoleRules } from './types.js';

/** The audit trail is read by auditors and admins; nobody writes it through the API. */
export const auditRecordRules: RoleRules = {
  auditor: [{ action: 'read', subject: 'AuditRecord' }],
};
