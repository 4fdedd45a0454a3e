export * from './types.js';
export { abilityFor, interpolate, materialiseRules, rulesFor, type TenantPolicy } from './ability.js';
export { defaultRulesFor } from './default-rules.js';
export { whereAllowed } from './sql-conditions.js';
export { validatePolicyDocument, validateRule, policyDocumentSchema, type PolicyDocument, type RuleProblem } from './rule-validator.js';
export { SUBJECT_FIELDS, CONDITION_OPERATORS, PLACEHOLDERS } from './fields.js';
