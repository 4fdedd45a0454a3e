import { rollUpAllAnalytics } from '../analytics/index.js';
import { pause, type WorkerJob } from './job.js';

const EVERY_MS = 15_000;

/** Keeps the analytics rollups current: recomputes the hours the incident change log touched, then waits. */
export const analyticsRollUpJob: WorkerJob = {
  name: 'analytics-rollup',
  async run({ knex, log, signal }) {
    while (!signal.aborted) {
      try {
        const folded = await rollUpAllAnalytics(knex, signal);
        if (folded > 0) log.debug({ folded }, 'analytics hours recomputed');
      } catch (error) {
        log.error({ err: error }, 'analytics roll-up failed; retrying later');
      }
      await pause(EVERY_MS, signal);
    }
  },
};
