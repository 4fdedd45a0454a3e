import { auditKeysFor, checkpointTargets, exportCheckpoints, type ExportedHead } from '../audit/index.js';
import { pause, type WorkerJob } from './job.js';

/**
 * Exports a signed checkpoint of each tenant's audit chain (tenant, seq, head hash, time) to places outside
 * the database at the configured interval, and once more when the worker stops. Several workers may run
 * it: the directory keeps one file per seq, S3 one locked object per seq.
 */
export const auditCheckpointJob: WorkerJob = {
  name: 'audit-checkpoint',
  async run({ knex, log, config, signal }) {
    const deps = { keyring: auditKeysFor(knex), targets: checkpointTargets(config.audit, config.dataDir), exported: new Map<string, ExportedHead>(), log };
    const round = async () => {
      try {
        const made = await exportCheckpoints(knex, deps);
        if (made.length > 0) log.debug({ tenants: made.length }, 'audit checkpoints exported');
      } catch (error) {
        log.error({ err: error }, 'audit checkpoint round failed; retrying later');
      }
    };
    while (!signal.aborted) {
      await round();
      await pause(config.audit.checkpointIntervalSeconds * 1000, signal);
    }
    await round();
  },
};
