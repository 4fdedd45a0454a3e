import type { WorkerJob } from '../worker/job.js';
import { startDeliveryWorker } from './delivery-worker.js';
import { secretBoxFromConfig } from './webhook-config.js';

/** The hub worker's webhook delivery job (options from the webhooks config section, validated at start). */
export const webhookDeliveryJob: WorkerJob = {
  name: 'webhook-delivery',
  async run({ knex, log, config, signal }) {
    const worker = startDeliveryWorker({ knex, log, options: config.webhooks.delivery, allowedPrivateRanges: config.webhooks.allowedPrivateRanges,
      secrets: secretBoxFromConfig(config),
      baseUrl: config.publicUrl ?? null });
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await worker.stop();
  },
};
