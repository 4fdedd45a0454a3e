import { publishDueDigests } from '../digest/index.js';
import { pause, type WorkerJob } from './job.js';

const EVERY_MS = 300_000;

/** Publishes each region's digest once its period has closed and the rollups hold it; checks every five minutes. */
export const analyticsDigestJob: WorkerJob = {
  name: 'analytics-digest',
  async run({ knex, log, signal }) {
    while (!signal.aborted) {
      try {
        const published = await publishDueDigests(knex, () => new Date());
        if (published > 0) log.info({ published }, 'analytics digests published');
      } catch (error) {
        log.error({ err: error }, 'analytics digests failed; retrying later');
      }
      await pause(EVERY_MS, signal);
    }
  },
};
