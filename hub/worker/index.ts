import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { HubConfig } from '../config/index.js';
import type { WorkerJob } from './job.js';
import { WORKER_JOBS } from './jobs.js';

export type { WorkerJob, JobContext } from './job.js';
export { pause } from './job.js';

export interface RunningWorker {
  stop(): Promise<void>;
}

/**
 * The hub's second entry point: background jobs over the same core and database. Stop aborts every job
 * and waits for each to finish its current unit of work.
 */
export function startWorker(deps: { knex: Knex; log: Logger; config: HubConfig; jobs?: WorkerJob[] }): RunningWorker {
  const controller = new AbortController();
  const jobs = deps.jobs ?? WORKER_JOBS;
  const running = jobs.map(async (job) => {
    const log = deps.log.child({ job: job.name });
    try {
      await job.run({ knex: deps.knex, log, config: deps.config, signal: controller.signal });
    } catch (error) {
      log.error({ err: error }, 'job crashed');
    }
  });
  deps.log.info({ jobs: jobs.map((j) => j.name) }, 'worker started');
  return {
    async stop() {
      controller.abort();
      await Promise.all(running);
    },
  };
}
