import { ensureMonthlyPartitions } from '../db/index.js';
import { pause, type WorkerJob } from './job.js';

const EVERY_MS = 6 * 60 * 60 * 1000;

/** Keeps the time-partitioned tables' monthly partitions made ahead of time. */
export const partitionUpkeepJob: WorkerJob = {
  name: 'partition-upkeep',
  async run({ knex, log, signal }) {
    while (!signal.aborted) {
      try {
        const made = await ensureMonthlyPartitions(knex);
        if (made.length > 0) log.info({ made }, 'partitions created');
      } catch (error) {
        log.error({ err: error }, 'partition upkeep failed; retrying later');
      }
      await pause(EVERY_MS, signal);
    }
  },
};
