import pino from 'pino';
import { newId } from '../../contracts/index.js';
import {
  secretBoxFor, startDeliveryWorker, type DeliveryOptionsInput, type DeliveryWorker, type SecretBox, type SecretKeySettings, type WebhookConfigInput,
} from '../../hub/webhooks/index.js';
import { notifyDeliveryWorkers } from '../../hub/webhooks/delivery-wake.js';
import type { ApiClient } from '../support/api-client.js';
import { buildEvent } from '../support/factories.js';
import { startTestHub, type TestHub } from '../support/hub.js';

export const silentLog = pino({ level: process.env.VIGIL_TEST_LOG ?? 'silent' });

/** Millisecond schedule for tests: seven retries, no jitter so counts and order are exact. */
export const FAST: DeliveryOptionsInput = {
  retryScheduleMs: [5, 10, 15, 20, 25, 30, 35],
  jitter: 0,
  pollMs: 20,
  requestTimeoutMs: 2000,
  leaseMs: 5000,
};

export interface WebhookFixture {
  hub: TestHub;
  storeId: string;
  cameraId: string;
  plugin: ApiClient;
  startWorker(options?: DeliveryOptionsInput, allowedPrivateRanges?: readonly string[], secrets?: SecretBox): DeliveryWorker;
  createEndpoint(body: Record<string, unknown>): Promise<{ id: string; secret: string }>;
  /** Posts one detection event for a fresh incident type/camera window and returns the incident id. */
  raiseIncident(overrides?: { type?: string; severity?: string; cameraId?: string }): Promise<string>;
  /** Writes `count` messages straight into the outbox (volume tests). */
  enqueue(count: number, type?: 'incident.created'): Promise<string[]>;
  stop(): Promise<void>;
}

/** The operator ceiling every webhook test runs under: the receivers listen on 127.0.0.1 (localhost may also be ::1). */
export const LOOPBACK_CEILING = ['127.0.0.1/32', '::1/128'];

/** The at-rest key of the test hubs and workers (a fixed test value; a hub makes a random one). */
export const TEST_SECRETS_KEY = Buffer.alloc(32, 7).toString('base64');
export const testSecrets = (settings: Partial<SecretKeySettings> = {}) => secretBoxFor({ dataDir: '', secretsKey: TEST_SECRETS_KEY, previousSecretsKeys: [], ...settings });

/** A hub serving the API only (no built-in worker), a store with a camera, loopback allow-listed. */
export async function webhookFixture(options: { allowLoopback?: boolean; webhooks?: WebhookConfigInput } = {}): Promise<WebhookFixture> {
  const webhooks = { allowedPrivateRanges: LOOPBACK_CEILING, secretsKey: TEST_SECRETS_KEY, ...options.webhooks };
  const hub = await startTestHub({ role: 'api', webhooks });
  const workers: DeliveryWorker[] = [];
  try {
    const store = await hub.createStore({ mergeWindowSeconds: 0 });
    const camera = await hub.createCamera(store.id);
    const plugin = hub.admin.as(await hub.createPluginToken([store.id]));
    if (options.allowLoopback !== false) await hub.admin.call('PUT', '/v1/webhook-settings', 200, { allowedSubnets: ['127.0.0.1/32'] });
    let minute = 0;
    return {
      hub, storeId: store.id, cameraId: camera.id, plugin,
      startWorker(opts = FAST, allowedPrivateRanges = LOOPBACK_CEILING, secrets = testSecrets({ secretsKey: webhooks.secretsKey })) {
        const worker = startDeliveryWorker({ knex: hub.db.knex, log: silentLog, options: opts, allowedPrivateRanges, secrets, baseUrl: 'https://vigil.example' });
        workers.push(worker);
        return worker;
      },
      createEndpoint: (body) => hub.admin.post<{ id: string; secret: string }>('/v1/webhooks', body),
      async raiseIncident(o = {}) {
        minute += 10;
        const occurredAt = new Date(Date.now() - 86_400_000 + minute * 60_000).toISOString();
        const event = buildEvent({ cameraId: o.cameraId ?? camera.id, storeId: store.id, occurredAt, ...(o.type ? { type: o.type } : {}), ...(o.severity ? { severity: o.severity } : {}) } as Parameters<typeof buildEvent>[0]);
        const result = await plugin.post<{ results: Array<{ incidentId?: string }> }>('/v1/events', { events: [event] }, 200);
        const id = result.results[0]?.incidentId;
        if (!id) throw new Error(`no incident: ${JSON.stringify(result)}`);
        return id;
      },
      async enqueue(count, type = 'incident.created') {
        // Bulk rows, as writeMessage would write them one by one (volume tests only need the outbox filled).
        const knex = hub.db.knex;
        const endpoints = (await knex('webhook_endpoints').where({ tenant_id: hub.tenantId, enabled: true }).whereRaw('? = ANY(event_types)', [type]).pluck('id')) as string[];
        const ids: string[] = [];
        for (let start = 0; start < count; start += 500) {
          const now = new Date();
          const messages = Array.from({ length: Math.min(500, count - start) }, (_, k) => ({
            tenant_id: hub.tenantId, id: newId('message'), event_type: type, subject_id: null, created_at: now,
            data: JSON.stringify({ id: `n${start + k}`, type: 'zone_dwell', storeId: store.id }),
          }));
          await knex.transaction(async (trx) => {
            await trx('webhook_messages').insert(messages);
            await trx('webhook_deliveries').insert(messages.flatMap((m) => endpoints.map((e) => ({
              tenant_id: hub.tenantId, id: newId('delivery'), message_id: m.id, endpoint_id: e, next_attempt_at: now, created_at: now, updated_at: now,
            }))));
            await notifyDeliveryWorkers(trx);
          });
          ids.push(...messages.map((m) => m.id));
        }
        return ids;
      },
      async stop() {
        await Promise.all(workers.map((w) => w.stop()));
        await hub.stop();
      },
    };
  } catch (error) {
    await hub.stop();
    throw error;
  }
}

export async function until<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 20_000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Resolves once the worker has settled every queued delivery: whatever will arrive has arrived (no guessing with a sleep). */
export async function deliveriesSettled(knex: WebhookFixture['hub']['db']['knex']): Promise<void> {
  await until(async () => Number((await knex('webhook_deliveries').where({ status: 'pending' }).count<Array<{ count: string | number }>>('* as count'))[0]?.count ?? 0) === 0);
}
