import { createMongoAbility, subject as createSubject } from '@casl/ability';
import { defaultRulesFor } from './default-rules.js';
import type { AppAbility, AppRule, Principal, RuleTemplate, SubjectName } from './types.js';

const PLACEHOLDER = /^\$\{user\.(storeIds|regionIds|id|tenantId)\}$/;

function principalValue(principal: Principal, key: string): unknown {
  switch (key) {
    case 'storeIds':
      return principal.storeIds;
    case 'regionIds':
      return principal.regionIds;
    case 'id':
      return principal.principalId;
    default:
      return principal.tenantId;
  }
}

/** Replaces `${user.…}` placeholders inside condition values with the principal's attributes. */
export function interpolate(value: unknown, principal: Principal): unknown {
  if (typeof value === 'string') {
    const match = PLACEHOLDER.exec(value);
    return match?.[1] ? principalValue(principal, match[1]) : value;
  }
  if (Array.isArray(value)) return value.map((item) => interpolate(item, principal));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, principal)]));
  }
  return value;
}

export function materialiseRules(templates: RuleTemplate[], principal: Principal): AppRule[] {
  return templates.map((template) => {
    const rule: Record<string, unknown> = { action: template.action, subject: template.subject };
    if (template.conditions) rule.conditions = interpolate(template.conditions, principal);
    if (template.fields) rule.fields = template.fields;
    if (template.inverted) rule.inverted = true;
    if (template.reason) rule.reason = template.reason;
    // CASL keeps the raw rule as `origin`; `source` rides along for `vigil policy explain`.
    if (template.source) rule.source = template.source;
    return rule as unknown as AppRule;
  });
}

/** A tenant's own policy for one role: added to the built-in rules (`extend`) or instead of them (`replace`). */
export interface TenantPolicy {
  mode: 'extend' | 'replace';
  rules: RuleTemplate[];
  version: number;
}

const appliesIn = (environment: string) => (rule: RuleTemplate): boolean => !rule.environments || rule.environments.includes(environment);

/**
 * Every rule that applies to the principal, in order (later rules win in CASL, so tenant rules come last).
 * A rule limited to some environments applies only when the principal acts in one of them.
 */
export function rulesFor(principal: Principal, policy?: TenantPolicy | RuleTemplate[] | null): RuleTemplate[] {
  if (!policy) return defaultRulesFor(principal.role);
  if (Array.isArray(policy)) return [...defaultRulesFor(principal.role), ...policy.filter(appliesIn(principal.environment))];
  const own = policy.rules.filter(appliesIn(principal.environment)).map((rule) => ({ ...rule, source: `tenant policy for ${principal.role} v${policy.version}` }));
  return policy.mode === 'replace' ? own : [...defaultRulesFor(principal.role), ...own];
}

/** The ability of one principal: its role's built-in rules and the tenant's policy for that role. */
export function abilityFor(principal: Principal, policy?: TenantPolicy | RuleTemplate[] | null): AppAbility {
  // The ability is a function of the principal's attributes and the policy's content alone (a draft being
  // previewed differs in content from the saved version of the same number, so it is a different key).
  const key = JSON.stringify([principal.tenantId, principal.environment, principal.role, principal.principalId, principal.storeIds, principal.regionIds, policy ?? null]);
  const cached = abilities.get(key);
  if (cached) {
    abilities.delete(key);
    abilities.set(key, cached);
    return cached;
  }
  const ability = createMongoAbility<AppAbility>(materialiseRules(rulesFor(principal, policy), principal));
  abilities.set(key, ability);
  if (abilities.size > ABILITY_CACHE_SIZE) abilities.delete(abilities.keys().next().value as string);
  return ability;
}

/** Abilities built lately, least recently used first (a Map keeps insertion order). */
const abilities = new Map<string, AppAbility>();
const ABILITY_CACHE_SIZE = 2000;

/** A record of a subject type for CASL checks (`can('update', recordOf('Policy', { role }))`). */
export function recordOf(subjectName: Exclude<SubjectName, 'all'>, fields: Record<string, unknown>): Record<string, unknown> {
  return createSubject(subjectName, { ...fields });
}
