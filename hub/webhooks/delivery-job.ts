import type { WorkerJob } from '../worker/job.js';
import { startDeliveryWorker } from './delivery-worker.js';
import { secretBoxFromConfig } from './webhook-config.js';

/** The hub worker's webhook delivery job (options from the webhooks config section, validated at start). */
export const webhookDeliveryJob: WorkerJob = {
  name: 'webhook-delivery',
  async run({ knex, log, config, signal }) {
    if (config.webhooks.secretsKey === undefined && config.webhooks.secretsKeyFile === undefined) {
      log.warn({ keyFile: `${config.dataDir}/secrets.key` }, 'webhook secrets are sealed with a key generated under the data dir; set VIGIL_SECRETS_KEY (the same in every hub process) in production');
    }
    const worker = startDeliveryWorker({ knex, log, options: config.webhooks.delivery, allowedPrivateRanges: config.webhooks.allowedPrivateRanges,
      secrets: secretBoxFromConfig(config),
      baseUrl: config.http.publicUrl ?? null });
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await worker.stop();
  },
};
