export { RETENTION_DEFAULTS, OUTCOME_CLASSES, outcomeOf, ruleFor, retentionPolicyInput, type OutcomeClass, type RetentionPolicyScope } from './policy.js';
export { planRetention, planLinkSweeps, type PlannedPurge, type PlannedLinkSweep } from './planner.js';
export { sweepLinks, type LinkSweep } from './link-sweeper.js';
export { purgeExpired, purgeItem, type PurgeReport } from './purger.js';
export { sweepForDiskPressure } from './disk-pressure.js';
export { retentionPurgeJob } from './purge-job.js';
