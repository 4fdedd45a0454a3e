import { evidenceStoreFor, runFixityRound } from '../evidence/index.js';
import { pause, type WorkerJob } from './job.js';

const ROUND_PAUSE_MS = 10 * 60 * 1000;

/**
 * Re-reads stored evidence against its acquisition hash on a schedule (each item about once a day); a
 * failure is audited and opens an integrity incident; the round's figures show in /healthz and /metrics.
 */
export const fixityJob: WorkerJob = {
  name: 'evidence-fixity',
  async run({ knex, log, config, signal }) {
    while (!signal.aborted) {
      try {
        const report = await runFixityRound(knex, evidenceStoreFor(config), { signal });
        if (report.failed > 0) log.error({ failed: report.failed, items: report.failures }, 'evidence fixity check failed: stored evidence no longer matches its acquisition hash');
      } catch (error) {
        log.error({ err: error }, 'evidence fixity round failed; retrying later');
      }
      await pause(ROUND_PAUSE_MS, signal);
    }
  },
};
