import { rollUpUsage } from '../usage/index.js';
import { pause, type WorkerJob } from './job.js';

const EVERY_MS = 10_000;

/** Folds the append-only usage increments into the daily counters, a batch at a time, until none are left; then waits. */
export const usageRollUpJob: WorkerJob = {
  name: 'usage-rollup',
  async run({ knex, log, signal }) {
    while (!signal.aborted) {
      try {
        let folded = 0;
        for (let n = await rollUpUsage(knex); n > 0 && !signal.aborted; n = await rollUpUsage(knex)) folded += n;
        if (folded > 0) log.debug({ folded }, 'usage increments rolled up');
      } catch (error) {
        log.error({ err: error }, 'usage roll-up failed; retrying later');
      }
      await pause(EVERY_MS, signal);
    }
  },
};
