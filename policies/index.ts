export * from './types.js';
export { abilityFor, interpolate, materialiseRules, recordOf, rulesFor, type TenantPolicy } from './ability.js';
export { defaultRulesFor } from './default-rules.js';
export { whereAllowed } from './sql-conditions.js';
export { validatePolicyDocument, validateRule, policyDocumentSchema, type PolicyDocument, type RuleProblem } from './rule-validator.js';
export { SUBJECT_FIELDS, CONDITION_FIELDS, CONDITION_ENUMS, FIELD_LIST_SUBJECTS, CONDITION_OPERATORS, PLACEHOLDERS } from './fields.js';
export { escalationProblems, lockoutProblems, policyWarnings, samplePrincipal } from './policy-guards.js';
