import { statfs } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { evidenceStoreFor, tenantTransaction } from '../evidence/index.js';
import { pause, type JobContext, type WorkerJob } from '../worker/job.js';
import { sweepForDiskPressure } from './disk-pressure.js';
import { purgeExpired } from './purger.js';

async function sweepIfShort(ctx: JobContext, minFree: number): Promise<void> {
  const store = evidenceStoreFor(ctx.config);
  if (minFree === 0 || store.backend !== 'filesystem') return;
  const stats = await statfs(join(resolve(ctx.config.dataDir), 'evidence')).catch(() => null);
  if (!stats) return;
  const free = stats.bavail * stats.bsize;
  if (free >= minFree) return;
  const report = await sweepForDiskPressure(ctx.knex, store, { bytesToFree: minFree - free });
  ctx.log.warn({ free, minFree, ...report }, 'evidence disk short: oldest unheld evidence deleted');
}

/** Open uploads past their expiry: their staged bytes go. */
async function dropStaleUploads(ctx: JobContext): Promise<number> {
  const store = evidenceStoreFor(ctx.config);
  const stale = await ctx.knex('evidence_uploads').where({ state: 'open' }).where('expires_at', '<', new Date()).limit(100)
    .select<Array<{ tenant_id: string; id: string; staging_key: string }>>('tenant_id', 'id', 'staging_key');
  for (const upload of stale) {
    await store.discardStaged(upload.staging_key);
    await tenantTransaction(ctx.knex, upload.tenant_id, (trx) => trx('evidence_uploads').where({ tenant_id: upload.tenant_id, id: upload.id }).update({ state: 'refused', refusal: 'expired' }), { asOwner: true });
  }
  return stale.length;
}

/** Retention in the hub worker: purge what policy says is due, drop stale uploads, and relieve disk pressure. */
export const retentionPurgeJob: WorkerJob = {
  name: 'evidence-retention',
  async run(ctx) {
    while (!ctx.signal.aborted) {
      try {
        const report = await purgeExpired(ctx.knex, evidenceStoreFor(ctx.config), { signal: ctx.signal });
        if (report.purged > 0 || report.held > 0 || report.links > 0) ctx.log.info(report, 'evidence retention purge');
        await dropStaleUploads(ctx);
        await sweepIfShort(ctx, ctx.config.evidence.minFreeBytes);
      } catch (error) {
        ctx.log.error({ err: error }, 'evidence retention failed; retrying later');
      }
      await pause(ctx.config.retention.intervalSeconds * 1000, ctx.signal);
    }
  },
};
