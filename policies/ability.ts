import { createMongoAbility } from '@casl/ability';
import { defaultRulesFor } from './default-rules.js';
import type { AppAbility, AppRule, Principal, RuleTemplate } from './types.js';

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
    return rule as unknown as AppRule;
  });
}

/** The ability of one principal: its role's built-in rules plus any extra (tenant-defined) rules. */
export function abilityFor(principal: Principal, extraRules: RuleTemplate[] = []): AppAbility {
  const rules = materialiseRules([...defaultRulesFor(principal.role), ...extraRules], principal);
  return createMongoAbility<AppAbility>(rules);
}
