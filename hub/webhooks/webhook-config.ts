import { z } from 'zod';
import { deliveryOptionsSchema } from './delivery-options.js';
import { secretBoxFor, type SecretBox } from './secret-box.js';

/** The webhooks section of the hub's configuration (operator settings, validated at start). */
export const webhookConfigSchema = z.strictObject({
  delivery: deliveryOptionsSchema.default(deliveryOptionsSchema.parse({})).describe('Retry schedule, timeouts and concurrency of the delivery worker.'),
  allowedPrivateRanges: z
    .array(z.cidrv4().or(z.cidrv6()))
    .max(100)
    .default([])
    .describe('Operator ceiling: the private ranges tenants may allow-list for webhook targets (VIGIL_WEBHOOK_ALLOWED_PRIVATE_RANGES, comma list). Loopback, link-local, cloud metadata and unspecified ranges stay closed unless a range here lies inside them.'),
  secretsKey: z.string().min(40).optional().describe('AES-256-GCM key (32 bytes, base64) sealing webhook secrets, custom header values and ServiceNow credentials at rest (VIGIL_SECRETS_KEY).'),
  secretsKeyFile: z.string().min(1).optional().describe('File holding that key (VIGIL_SECRETS_KEY_FILE); default <dataDir>/secrets.key, created with mode 0600 on first start.'),
  previousSecretsKeys: z.array(z.string().min(40)).max(10).default([]).describe('Keys still accepted for opening after a rotation, until `vigil secrets reencrypt` ran (VIGIL_SECRETS_PREVIOUS_KEYS, comma list).'),
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
  VIGIL_SECRETS_KEY: [['secretsKey'], (value) => value],
  VIGIL_SECRETS_KEY_FILE: [['secretsKeyFile'], (value) => value],
  VIGIL_SECRETS_PREVIOUS_KEYS: [['previousSecretsKeys'], list],
};

/** The secret box of a hub configuration (its data dir and webhooks section). */
export function secretBoxFromConfig(config: { dataDir: string; webhooks: WebhookConfig }): SecretBox {
  const { secretsKey, secretsKeyFile, previousSecretsKeys } = config.webhooks;
  return secretBoxFor({ dataDir: config.dataDir, secretsKey, secretsKeyFile, previousSecretsKeys });
}
