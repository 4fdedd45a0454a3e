import { z } from 'zod';
import { environmentNameSchema } from '../contracts/index.js';
import { CONDITION_ENUMS, CONDITION_FIELDS, CONDITION_OPERATORS, CREATING_ACTIONS, FIELD_LIST_SUBJECTS, PLACEHOLDERS, SUBJECT_FIELDS } from './fields.js';
import { ACTIONS, ROLES, SUBJECTS, type Action, type Role, type RuleTemplate, type SubjectName } from './types.js';

const scalar = z.union([z.string().max(200), z.number(), z.boolean(), z.null()]);
const operand = z.union([scalar, z.array(scalar).max(1000)]);
const choices = (list: readonly string[]) => list.join(', ');
const MODES = ['extend', 'replace'] as const;

const ruleShape = z.strictObject({
  action: z.union([z.enum(ACTIONS), z.array(z.enum(ACTIONS)).min(1)], { error: `unknown action; valid actions: ${choices(ACTIONS)}` }),
  subject: z.union([z.enum(SUBJECTS), z.array(z.enum(SUBJECTS)).min(1)], { error: `unknown subject; valid subjects: ${choices(SUBJECTS)}` }),
  conditions: z.record(z.string(), z.union([operand, z.record(z.string(), operand)])).optional(),
  fields: z.array(z.string().min(1).max(64)).min(1).max(100).optional(),
  inverted: z.boolean().optional(),
  reason: z.string().max(500).optional(),
  environments: z.array(environmentNameSchema).min(1).max(20).optional(),
});

export const policyDocumentSchema = z.strictObject({
  role: z.enum(ROLES),
  mode: z.enum(MODES).default('extend').describe('extend: the built-in rules plus these; replace: these alone.'),
  rules: z.array(z.unknown()).max(200),
});
export type PolicyDocument = { role: Role; mode: 'extend' | 'replace'; rules: RuleTemplate[] };

export interface RuleProblem {
  path: string;
  message: string;
}

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

function checkValue(value: unknown, allowed: readonly string[] | undefined, path: string, problems: RuleProblem[]): void {
  for (const v of asList(value)) {
    if (typeof v === 'string' && v.startsWith('${')) {
      if (!(PLACEHOLDERS as readonly string[]).includes(v)) problems.push({ path, message: `unknown placeholder ${v}; use one of ${choices(PLACEHOLDERS)}` });
    } else if (allowed && !allowed.includes(String(v))) {
      problems.push({ path, message: `unknown value ${JSON.stringify(v)}; valid values: ${choices(allowed)}` });
    }
  }
}

function checkCondition(subject: string, field: string, condition: unknown, path: string, problems: RuleProblem[]): void {
  const allowed = CONDITION_ENUMS[`${subject}.${field}`];
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) {
    checkValue(condition, allowed, path, problems);
    return;
  }
  for (const [operator, value] of Object.entries(condition)) {
    if (!(CONDITION_OPERATORS as readonly string[]).includes(operator)) {
      problems.push({ path: `${path}.${operator}`, message: `unknown operator; use one of ${choices(CONDITION_OPERATORS)}` });
    }
    checkValue(value, allowed, `${path}.${operator}`, problems);
  }
}

function checkConditions(subjects: SubjectName[], actions: Action[], conditions: Record<string, unknown>, path: string, problems: RuleProblem[]): void {
  const creates = actions.some((a) => CREATING_ACTIONS.includes(a));
  for (const subject of subjects) {
    const spec = subject === 'all' ? undefined : CONDITION_FIELDS[subject];
    if (!spec) {
      const accepting = Object.keys(CONDITION_FIELDS);
      problems.push({ path, message: `conditions are not enforced on subject ${subject}, so they are refused; subjects that take conditions: ${choices(accepting)}` });
      continue;
    }
    const unchecked = spec.actions ? actions.filter((a) => !spec.actions?.includes(a)) : [];
    if (unchecked.length > 0) {
      problems.push({ path, message: `conditions on ${subject} are checked only for ${choices(spec.actions ?? [])}; not for ${choices(unchecked)}` });
      continue;
    }
    for (const [field, condition] of Object.entries(conditions)) {
      const fieldPath = `${path}.${field}`;
      if (!spec.fields.includes(field)) {
        problems.push({ path: fieldPath, message: `unknown or unchecked field of ${subject}; valid fields: ${choices(spec.fields)}` });
        continue;
      }
      if (creates && !spec.createFields.includes(field)) {
        const known = spec.createFields.length ? `only ${choices(spec.createFields)} are known before a ${subject} exists` : `a new ${subject} is not checked against conditions`;
        problems.push({ path: fieldPath, message: `a conditional create (or manage) of ${subject} cannot be enforced on ${field}: ${known}; list the actions without create` });
        continue;
      }
      checkCondition(subject, field, condition, fieldPath, problems);
    }
  }
}

function checkFields(subjects: SubjectName[], actions: Action[], list: string[], path: string, problems: RuleProblem[]): void {
  if (actions.some((a) => a !== 'read')) problems.push({ path, message: 'field lists apply to read only; write a separate read rule' });
  for (const subject of subjects) {
    if (subject === 'all' || !FIELD_LIST_SUBJECTS.includes(subject)) {
      problems.push({ path, message: `field lists are not enforced on subject ${subject}, so they are refused; subjects that take field lists: ${choices(FIELD_LIST_SUBJECTS)}` });
      continue;
    }
    const fields = SUBJECT_FIELDS[subject] ?? [];
    for (const [i, field] of list.entries()) {
      if (!fields.includes(field)) problems.push({ path: `${path}[${i}]`, message: `unknown field ${field} of ${subject}; valid fields: ${choices(fields)}` });
    }
  }
}

/**
 * Records the environments share (the tenant's regions, people, policies, trail, metering and the environments
 * themselves): a rule on them limited to staging would still change production (a staging-only `manage Policy`
 * could write an unlimited rule), so such a rule is refused when it is saved.
 */
export const TENANT_WIDE_SUBJECTS: readonly SubjectName[] = ['Region', 'User', 'Policy', 'AuditRecord', 'Usage', 'Tenant', 'Environment', 'all'];

function checkEnvironmentScope(subjects: SubjectName[], path: string, problems: RuleProblem[]): void {
  const shared = subjects.filter((s) => TENANT_WIDE_SUBJECTS.includes(s));
  if (shared.length === 0) return;
  problems.push({ path, message: `${shared.join(', ')} belong to the whole tenant, not to an environment: a rule on them cannot be limited to environments (name the environment-bound subjects instead)` });
}

/** Validates one rule; returns its problems with the offending path. */
export function validateRule(raw: unknown, path: string): { rule?: RuleTemplate; problems: RuleProblem[] } {
  const parsed = ruleShape.safeParse(raw);
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((issue) => ({ path: [path, ...issue.path.slice(0, 1)].join('.'), message: issue.message })) };
  }
  const problems: RuleProblem[] = [];
  const subjects = asList(parsed.data.subject);
  const actions = asList(parsed.data.action);
  if (parsed.data.conditions) checkConditions(subjects, actions, parsed.data.conditions, `${path}.conditions`, problems);
  if (parsed.data.fields) checkFields(subjects, actions, parsed.data.fields, `${path}.fields`, problems);
  if (parsed.data.environments) checkEnvironmentScope(subjects, `${path}.environments`, problems);
  const { conditions, fields, inverted, reason, environments, action, subject } = parsed.data;
  const rule: RuleTemplate = {
    action, subject, ...(conditions ? { conditions } : {}), ...(fields ? { fields } : {}), ...(inverted ? { inverted } : {}), ...(reason ? { reason } : {}),
    ...(environments ? { environments: [...new Set(environments)] } : {}),
  };
  return { rule, problems };
}

function checkEnvelope(raw: unknown, problems: RuleProblem[]): { role?: Role; mode: 'extend' | 'replace'; rules: unknown[] } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ path: '(root)', message: 'a policy is an object { role, mode, rules }' });
    return { mode: 'extend', rules: [] };
  }
  const { role, mode = 'extend', rules, ...extra } = raw as Record<string, unknown>;
  for (const key of Object.keys(extra)) problems.push({ path: key, message: 'unknown key; a policy has role, mode and rules' });
  const roleOk = (ROLES as readonly unknown[]).includes(role);
  if (!roleOk) problems.push({ path: 'role', message: `unknown role ${JSON.stringify(role)}; valid roles: ${choices(ROLES)}` });
  const modeOk = (MODES as readonly unknown[]).includes(mode);
  if (!modeOk) problems.push({ path: 'mode', message: `unknown mode ${JSON.stringify(mode)}; valid modes: ${choices(MODES)}` });
  const list = Array.isArray(rules) ? rules : [];
  if (!Array.isArray(rules)) problems.push({ path: 'rules', message: 'rules must be a list of rules' });
  else if (rules.length > 200) problems.push({ path: 'rules', message: 'at most 200 rules' });
  return { ...(roleOk ? { role: role as Role } : {}), mode: modeOk ? (mode as 'extend' | 'replace') : 'extend', rules: list };
}

/** Validates a whole policy document (role, mode, rules); every problem is listed at once, each with its path. */
export function validatePolicyDocument(raw: unknown): { document?: PolicyDocument; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const envelope = checkEnvelope(raw, problems);
  const rules: RuleTemplate[] = [];
  envelope.rules.forEach((item, index) => {
    const result = validateRule(item, `rules[${index}]`);
    problems.push(...result.problems);
    if (result.rule) rules.push(result.rule);
  });
  if (problems.length > 0 || !envelope.role) return { problems };
  return { document: { role: envelope.role, mode: envelope.mode, rules }, problems };
}
