import { z } from 'zod';
import { deliveryOptionsSchema } from './delivery-options.js';

/** The webhooks section of the hub's configuration (operator settings, validated at start). */
export const webhookConfigSchema = z.strictObject({
  delivery: deliveryOptionsSchema.default(deliveryOptionsSchema.parse({})).describe('Retry schedule, timeouts and concurrency of the delivery worker.'),
  allowedPrivateRanges: z
    .array(z.cidrv4().or(z.cidrv6()))
    .max(100)
    .default([])
    .describe('Operator ceiling: the private ranges tenants may allow-list for webhook targets (VIGIL_WEBHOOK_ALLOWED_PRIVATE_RANGES, comma list). Loopback, link-local, cloud metadata and unspecified ranges stay closed unless a range here lies inside them.'),
});

export type WebhookConfig = z.infer<typeof webhookConfigSchema>;
export type WebhookConfigInput = z.input<typeof webhookConfigSchema>;

type Parse = (value: string) => unknown;
const list: Parse = (value) => value.split(',').map((s) => s.trim()).filter(Boolean);
const numbers: Parse = (value) => value.split(',').map((s) => Number(s.trim()));
const number: Parse = (value) => Number(value);

/** Environment variable -> [section path, parser]. The loader applies it; module code never reads process.env. */
export const WEBHOOK_ENV: Record<string, readonly [path: readonly string[], parse: Parse]> = {
  VIGIL_WEBHOOK_ALLOWED_PRIVATE_RANGES: [['allowedPrivateRanges'], list],
  VIGIL_WEBHOOK_RETRY_SCHEDULE_MS: [['delivery', 'retryScheduleMs'], numbers],
  VIGIL_WEBHOOK_TIMEOUT_MS: [['delivery', 'requestTimeoutMs'], number],
  VIGIL_WEBHOOK_CONCURRENCY: [['delivery', 'concurrency'], number],
  VIGIL_WEBHOOK_POLL_MS: [['delivery', 'pollMs'], number],
  VIGIL_WEBHOOK_LEASE_MS: [['delivery', 'leaseMs'], number],
};

/** The webhooks section as the environment sets it, layered over the file's section; undefined when no variable is set. */
export function webhookSectionFromEnv(env: Readonly<Record<string, string | undefined>>, fileSection: unknown): Record<string, unknown> | undefined {
  const base = fileSection !== null && typeof fileSection === 'object' ? (fileSection as Record<string, unknown>) : {};
  const section: Record<string, unknown> = { ...base, delivery: { ...(base.delivery as Record<string, unknown> | undefined) } };
  let isSet = false;
  for (const [variable, [path, parse]] of Object.entries(WEBHOOK_ENV)) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    isSet = true;
    const [head = '', leaf] = path;
    if (leaf === undefined) section[head] = parse(value);
    else (section[head] as Record<string, unknown>)[leaf] = parse(value);
  }
  return isSet ? section : undefined;
}
