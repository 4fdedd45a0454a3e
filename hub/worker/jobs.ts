import type { WorkerJob } from './job.js';
import { auditCheckpointJob } from './audit-checkpoint-job.js';
import { fixityJob } from './fixity-job.js';
import { partitionUpkeepJob } from './partition-upkeep-job.js';
import { usageRollUpJob } from './usage-rollup-job.js';
import { analyticsRollUpJob } from './analytics-rollup-job.js';
import { analyticsDigestJob } from './analytics-digest-job.js';
import { webhookDeliveryJob } from '../webhooks/index.js';
import { retentionPurgeJob } from '../retention/index.js';
import { sessionSweeperJob } from '../auth/oidc/session-sweeper-job.js';

/** Every job the hub worker runs; one line each. */
export const WORKER_JOBS: WorkerJob[] = [partitionUpkeepJob, webhookDeliveryJob, retentionPurgeJob, sessionSweeperJob, auditCheckpointJob, fixityJob, usageRollUpJob, analyticsRollUpJob, analyticsDigestJob];
