export * from './types.js';
export { abilityFor, interpolate, materialiseRules } from './ability.js';
export { defaultRulesFor } from './default-rules.js';
export { whereAllowed } from './sql-conditions.js';
