export { RETENTION_DEFAULTS, OUTCOME_CLASSES, outcomeOf, ruleFor, retentionPolicyInput, type OutcomeClass, type RetentionPolicyScope } from './policy.js';
export { planRetention, type PlannedPurge } from './planner.js';
export { purgeExpired, purgeItem, type PurgeReport } from './purger.js';
export { sweepForDiskPressure } from './disk-pressure.js';
export { retentionPurgeJob } from './purge-job.js';
