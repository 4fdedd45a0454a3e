import { z } from 'zod';
import { CONDITION_OPERATORS, PLACEHOLDERS, SUBJECT_FIELDS } from './fields.js';
import { ACTIONS, ROLES, SUBJECTS, type RuleTemplate, type SubjectName } from './types.js';

const scalar = z.union([z.string().max(200), z.number(), z.boolean(), z.null()]);
const operand = z.union([scalar, z.array(scalar).max(1000)]);

const ruleShape = z.strictObject({
  action: z.union([z.enum(ACTIONS), z.array(z.enum(ACTIONS)).min(1)]),
  subject: z.union([z.enum(SUBJECTS), z.array(z.enum(SUBJECTS)).min(1)]),
  conditions: z.record(z.string(), z.union([operand, z.record(z.string(), operand)])).optional(),
  fields: z.array(z.string().min(1).max(64)).min(1).max(100).optional(),
  inverted: z.boolean().optional(),
  reason: z.string().max(500).optional(),
});

export const policyDocumentSchema = z.strictObject({
  role: z.enum(ROLES),
  mode: z.enum(['extend', 'replace']).default('extend').describe('extend: the built-in rules plus these; replace: these alone.'),
  rules: z.array(z.unknown()).max(200),
});
export type PolicyDocument = { role: (typeof ROLES)[number]; mode: 'extend' | 'replace'; rules: RuleTemplate[] };

export interface RuleProblem {
  path: string;
  message: string;
}

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

function checkValue(value: unknown, path: string, problems: RuleProblem[]): void {
  const values = Array.isArray(value) ? value : [value];
  for (const v of values) {
    if (typeof v === 'string' && v.startsWith('${') && !(PLACEHOLDERS as readonly string[]).includes(v)) {
      problems.push({ path, message: `unknown placeholder ${v}; use one of ${PLACEHOLDERS.join(', ')}` });
    }
  }
}

function checkConditions(subjects: SubjectName[], conditions: Record<string, unknown>, path: string, problems: RuleProblem[]): void {
  for (const subject of subjects) {
    const fields = subject === 'all' ? undefined : SUBJECT_FIELDS[subject];
    if (!fields) {
      problems.push({ path, message: `conditions are not supported on subject ${subject}` });
      continue;
    }
    for (const [field, condition] of Object.entries(conditions)) {
      if (!fields.includes(field)) problems.push({ path: `${path}.${field}`, message: `unknown field of ${subject}; known: ${fields.join(', ')}` });
      if (condition !== null && typeof condition === 'object' && !Array.isArray(condition)) {
        for (const [operator, value] of Object.entries(condition)) {
          if (!(CONDITION_OPERATORS as readonly string[]).includes(operator)) {
            problems.push({ path: `${path}.${field}.${operator}`, message: `unknown operator; use one of ${CONDITION_OPERATORS.join(', ')}` });
          }
          checkValue(value, `${path}.${field}.${operator}`, problems);
        }
      } else checkValue(condition, `${path}.${field}`, problems);
    }
  }
}

function checkFields(subjects: SubjectName[], list: string[], path: string, problems: RuleProblem[]): void {
  for (const subject of subjects) {
    const fields = subject === 'all' ? undefined : SUBJECT_FIELDS[subject];
    for (const [i, field] of list.entries()) {
      if (!fields?.includes(field)) problems.push({ path: `${path}[${i}]`, message: `unknown field ${field} of ${subject}` });
    }
  }
}

/** Validates one rule; returns its problems with the offending path. */
export function validateRule(raw: unknown, path: string): { rule?: RuleTemplate; problems: RuleProblem[] } {
  const parsed = ruleShape.safeParse(raw);
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((issue) => ({ path: [path, ...issue.path].join('.'), message: issue.message })) };
  }
  const problems: RuleProblem[] = [];
  const subjects = asList(parsed.data.subject);
  if (parsed.data.conditions) checkConditions(subjects, parsed.data.conditions, `${path}.conditions`, problems);
  if (parsed.data.fields) checkFields(subjects, parsed.data.fields, `${path}.fields`, problems);
  const { conditions, fields, inverted, reason, action, subject } = parsed.data;
  const rule: RuleTemplate = { action, subject, ...(conditions ? { conditions } : {}), ...(fields ? { fields } : {}), ...(inverted ? { inverted } : {}), ...(reason ? { reason } : {}) };
  return { rule, problems };
}

/** Validates a whole policy document (role, mode, rules); every problem is listed, each with its path. */
export function validatePolicyDocument(raw: unknown): { document?: PolicyDocument; problems: RuleProblem[] } {
  const parsed = policyDocumentSchema.safeParse(raw);
  if (!parsed.success) return { problems: parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })) };
  const problems: RuleProblem[] = [];
  const rules: RuleTemplate[] = [];
  parsed.data.rules.forEach((raw, index) => {
    const result = validateRule(raw, `rules[${index}]`);
    problems.push(...result.problems);
    if (result.rule) rules.push(result.rule);
  });
  return problems.length > 0 ? { problems } : { document: { role: parsed.data.role, mode: parsed.data.mode, rules }, problems };
}
