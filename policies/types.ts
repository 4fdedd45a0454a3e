import type { MongoAbility, RawRuleOf } from '@casl/ability';

export const ROLES = [
  'store_staff',
  'store_manager',
  'regional_manager',
  'central_reviewer',
  'lp_admin',
  'it_integrator',
  'auditor',
  'plugin',
] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = ['manage', 'read', 'create', 'update', 'delete', 'transition', 'comment', 'ingest', 'unredact'] as const;
export type Action = (typeof ACTIONS)[number];

export const SUBJECTS = ['Region', 'Store', 'Lane', 'Camera', 'Device', 'Incident', 'Event', 'AuditRecord', 'ApiToken', 'Tenant', 'Evidence', 'RetentionPolicy', 'Webhook', 'RoutingPolicy', 'PosTransaction', 'Policy', 'ServiceIdentity', 'Usage', 'User', 'StoreRules', 'Environment', 'Program', 'all'] as const;
export type SubjectName = (typeof SUBJECTS)[number];

export type AppAbility = MongoAbility<[Action, SubjectName | Record<string, unknown>]>;
export type AppRule = RawRuleOf<AppAbility>;

/** Who is asking: a user, a service identity or a token, always inside one tenant. */
export interface Principal {
  tenantId: string;
  /** The environment inside the tenant the request acts in (row-level security binds it). */
  environment: string;
  principalId: string;
  kind: 'user' | 'service';
  role: Role;
  /** Stores the principal is scoped to (for regional roles: every store of its regions). */
  storeIds: string[];
  regionIds: string[];
  tokenId?: string;
  /** The console session a request came with (links it issues die with it). */
  sessionId?: string;
}

/**
 * A rule as written in a policy file: CASL JSON whose condition values may name the principal's
 * attributes as `${user.storeIds}`, `${user.regionIds}` or `${user.id}`.
 */
export interface RuleTemplate {
  action: Action | Action[];
  subject: SubjectName | SubjectName[];
  conditions?: Record<string, unknown>;
  fields?: string[];
  inverted?: boolean;
  reason?: string;
  /** Environments the rule applies in (every environment when absent): a staging-only integrator, say. */
  environments?: string[];
  /** Where the rule comes from (`policies/incident.ts`, `tenant policy v3`), for `vigil policy explain`. */
  source?: string;
}

export type RoleRules = Partial<Record<Role, RuleTemplate[]>>;
