export { createRule, registerRule, ruleNames } from './rule-registry.js';
export type { EvidenceWindow, Keypoint, PosReference, Rule, RuleDefinition, RuleEnvironment, RuleHit, RuleInput } from './rule.js';
export { zoneDwellRule } from './zone-dwell.js';
export type { ZoneDwellConfig } from './zone-dwell.js';
export { hoursSchema, timeZoneSchema, isWithinHours, clockFormatter } from './local-time.js';
export type { Hours } from './local-time.js';
export { pluginRuleCatalog } from './rule-catalog.js';
