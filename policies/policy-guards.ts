import { abilityFor, recordOf, type TenantPolicy } from './ability.js';
import { defaultRulesFor } from './default-rules.js';
import type { PolicyDocument, RuleProblem } from './rule-validator.js';
import { ROLES, type Action, type AppAbility, type Principal, type Role, type RuleTemplate, type SubjectName } from './types.js';

/** A stand-in person of the role, scoped to one store and one region, for judging what a rule set allows. */
export function samplePrincipal(role: Role, scope: Partial<Pick<Principal, 'storeIds' | 'regionIds'>> = {}): Principal {
  return { tenantId: 'ten_policycheck', environment: 'production', principalId: 'usr_policycheck', kind: role === 'plugin' ? 'service' : 'user', role, storeIds: scope.storeIds ?? ['sto_policycheck'], regionIds: scope.regionIds ?? ['reg_policycheck'] };
}

interface Power {
  action: Action;
  subject: Exclude<SubjectName, 'all'>;
  target: Role;
  describe: string;
}

/** The powers over who may do what: editing a role's policy, minting its tokens, creating or changing its users. */
const POWERS: Power[] = ROLES.flatMap((target): Power[] => [
  { action: 'update', subject: 'Policy', target, describe: `edit the ${target} policy` },
  { action: 'create', subject: 'ApiToken', target, describe: `mint ${target} tokens` },
  { action: 'create', subject: 'User', target, describe: `create ${target} users` },
  { action: 'update', subject: 'User', target, describe: `change users to or from ${target}` },
]).concat([
  // A service identity carries plugin tokens for the stores its creator names: minting by another route.
  { action: 'create', subject: 'ServiceIdentity', target: 'plugin', describe: 'register service identities (plugin tokens for any store)' },
  { action: 'update', subject: 'ServiceIdentity', target: 'plugin', describe: 'rotate service identities (new plugin tokens)' },
]);

const mayUse = (ability: AppAbility, power: Power) => ability.can(power.action, recordOf(power.subject, { role: power.target }));

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

function grantingRule(draft: RuleTemplate[], principal: Principal, power: Power): number {
  return draft.findIndex((rule) => !rule.inverted && mayUse(abilityFor(principal, { mode: 'replace', rules: [rule], version: 0 }), power));
}

function effective(role: Role, policy: TenantPolicy | null): AppAbility {
  return abilityFor(samplePrincipal(role), policy);
}

/**
 * A change may not hand a role power over policies, tokens or users that it did not hold before: that is how
 * a role would raise itself or mint above itself. Each gained power is reported with the rule granting it.
 */
export function escalationProblems(current: TenantPolicy | null, draft: PolicyDocument): RuleProblem[] {
  const before = effective(draft.role, current);
  const after = effective(draft.role, { mode: draft.mode, rules: draft.rules, version: (current?.version ?? 0) + 1 });
  const problems: RuleProblem[] = [];
  for (const power of POWERS) {
    if (!mayUse(after, power) || mayUse(before, power)) continue;
    const index = grantingRule(draft.rules, samplePrincipal(draft.role), power);
    problems.push({ path: index >= 0 ? `rules[${index}]` : 'mode', message: `would let ${draft.role} ${power.describe}, which it may not do today; only a role that already holds a power may keep it` });
  }
  return problems;
}

const ADMIN_MUST_KEEP: Array<{ action: Action; subject: Exclude<SubjectName, 'all'>; role?: Role; why: string }> = [
  ...ROLES.flatMap((role) => [
    { action: 'read' as const, subject: 'Policy' as const, role, why: `read the ${role} policy` },
    { action: 'update' as const, subject: 'Policy' as const, role, why: `edit the ${role} policy` },
  ]),
  { action: 'create', subject: 'ApiToken', role: 'lp_admin', why: 'mint lp_admin tokens' },
  { action: 'create', subject: 'User', role: 'lp_admin', why: 'create lp_admin users' },
  { action: 'update', subject: 'User', role: 'lp_admin', why: 'change users' },
];

/** lp_admin must keep what it takes to repair any policy; otherwise nobody in the tenant could undo the change. */
export function lockoutProblems(draft: PolicyDocument): RuleProblem[] {
  if (draft.role !== 'lp_admin') return [];
  const after = abilityFor(samplePrincipal('lp_admin'), { mode: draft.mode, rules: draft.rules, version: 1 });
  return ADMIN_MUST_KEEP.filter((need) => !after.can(need.action, recordOf(need.subject, { role: need.role })))
    .map((need) => ({ path: 'rules', message: `lp_admin would no longer ${need.why}: the tenant would be locked out of its own policies` }));
}

function covers(builtIn: RuleTemplate, action: Action, subject: SubjectName, conditions: Record<string, unknown> | undefined): boolean {
  if (builtIn.inverted) return false;
  const actions = asList(builtIn.action);
  const subjects = asList(builtIn.subject);
  if (!(actions.includes(action) || actions.includes('manage')) || !(subjects.includes(subject) || subjects.includes('all'))) return false;
  if (!builtIn.conditions) return true;
  // A rule stays inside the built-in scope when it repeats every built-in condition (and may add more).
  return Object.entries(builtIn.conditions).every(([key, value]) => conditions !== undefined && JSON.stringify(conditions[key]) === JSON.stringify(value));
}

/**
 * Warnings (not errors) an admin should read before saving: `manage` or `all` grants, and extend rules that
 * reach beyond the role's built-in scope (extend rules are OR-ed with the built-in ones, so a rule meant to
 * narrow widens instead).
 */
export function policyWarnings(draft: PolicyDocument): RuleProblem[] {
  const builtIn = defaultRulesFor(draft.role);
  const warnings: RuleProblem[] = [];
  draft.rules.forEach((rule, index) => {
    if (rule.inverted) return;
    const path = `rules[${index}]`;
    const actions = asList(rule.action);
    const subjects = asList(rule.subject);
    if (actions.includes('manage')) warnings.push({ path, message: 'grants manage: every action, including delete and any action added later' });
    if (subjects.includes('all')) warnings.push({ path, message: 'grants on subject all: every kind of record, including policies, tokens and users' });
    if (draft.mode !== 'extend') return;
    const beyond = actions.flatMap((action) => subjects.filter((subject) => !builtIn.some((b) => covers(b, action, subject, rule.conditions))).map((subject) => `${action} ${subject}`));
    if (beyond.length > 0) {
      warnings.push({ path, message: `grants beyond the built-in scope of ${draft.role} (${beyond.join(', ')}): extend rules add to the built-in ones; to narrow, use mode replace or an inverted rule` });
    }
  });
  return warnings;
}
