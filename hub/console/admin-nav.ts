/** Actions by subject, as `GET /v1/session/permissions` answers them. */
export type Permissions = Partial<Record<string, string[]>>;

export interface NavLink { href: string; label: string }

export const may = (can: Permissions, action: string, subject: string): boolean => can[subject]?.includes(action) ?? false;

/** Whether the role may change something in the directory (stores, lanes, cameras): the admin directory page. */
export const mayAdministerDirectory = (can: Permissions): boolean =>
  ['Store', 'Lane', 'Camera'].some((subject) => may(can, 'update', subject) || may(can, 'create', subject));

export const mayEditPolicies = (can: Permissions): boolean => may(can, 'update', 'Policy');

/** Whether the role may change users or read the service identities: the users page. */
export const mayAdministerPeople = (can: Permissions): boolean => may(can, 'update', 'User') || may(can, 'read', 'ServiceIdentity');

/** The console header's links: the review queue, and the admin pages the role's policy lets it use. */
export function navLinks(can: Permissions): NavLink[] {
  return [
    { href: '/console', label: 'Review queue' },
    ...(may(can, 'read', 'Incident') ? [{ href: '/console/analytics', label: 'Analytics' }] : []),
    ...(mayAdministerDirectory(can) ? [{ href: '/console/admin/stores', label: 'Stores & cameras' }] : []),
    ...(mayEditPolicies(can) ? [{ href: '/console/admin/policies', label: 'Policies' }] : []),
    ...(may(can, 'read', 'Webhook') ? [{ href: '/console/admin/webhooks', label: 'Webhooks' }] : []),
    ...(may(can, 'create', 'RetentionPolicy') ? [{ href: '/console/admin/retention', label: 'Retention' }] : []),
    ...(may(can, 'update', 'StoreRules') ? [{ href: '/console/admin/tuning', label: 'Tuning' }] : []),
    ...(mayAdministerPeople(can) ? [{ href: '/console/admin/people', label: 'Users' }] : []),
    ...(may(can, 'read', 'AuditRecord') ? [{ href: '/console/admin/audit', label: 'Audit trail' }] : []),
  ];
}
