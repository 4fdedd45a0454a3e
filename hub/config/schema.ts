import { z } from 'zod';
import { devIdpSchema, oidcConfigSchema } from '../auth/oidc/config-schema.js';
import { webhookConfigSchema } from '../webhooks/webhook-config.js';

const port = z.coerce.number().int().min(0).max(65535);

/** The hub's configuration. Every field says what it is for and what bounds it has. */
export const hubConfigSchema = z.strictObject({
  dataDir: z.string().min(1).default('./.vigil').describe('Where PGlite data and local evidence live (VIGIL_DATA_DIR).'),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .describe('PostgreSQL connection URL; when absent the hub uses embedded PGlite under dataDir (DATABASE_URL).'),
  databasePoolMax: z.coerce.number().int().min(1).max(200).default(10).describe('Pooled pg connections per process.'),
  host: z.string().min(1).default('127.0.0.1').describe('Interface to listen on; 0.0.0.0 only when asked (VIGIL_HOST).'),
  port: port.default(8080).describe('HTTP port (VIGIL_PORT); 0 picks a free one.'),
  publicUrl: z.url().optional().describe('The URL clients reach the hub at, used in links (VIGIL_PUBLIC_URL).'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino level (VIGIL_LOG_LEVEL).'),
  jsonBodyLimitBytes: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024).describe('Default JSON body limit.'),
  eventsBodyLimitBytes: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(4 * 1024 * 1024).describe('Body limit of POST /v1/events.'),
  defaultMergeWindowSeconds: z.coerce.number().int().min(0).max(3600).default(30).describe('Events of one camera and type within this window merge into one open incident unless the store overrides it.'),
  role: z.enum(['all', 'api', 'worker']).default('all').describe('api serves HTTP, worker runs background jobs, all does both (VIGIL_ROLE).'),
  rateLimitPerIdentityPerMinute: z.coerce.number().int().min(0).max(1_000_000).default(1200).describe('Requests a minute per identity and API process; 0 turns the limit off.'),
  rateLimitPerTenantPerMinute: z.coerce.number().int().min(0).max(10_000_000).default(20000).describe('Requests a minute per tenant and API process; 0 turns the limit off.'),
  trustProxy: z.coerce.boolean().default(false).describe('Take the client address from X-Forwarded-For (only behind a trusted proxy).'),
  oidc: oidcConfigSchema.optional().describe('Human login through an OpenID Connect provider (VIGIL_OIDC_*); see docs/identity.md.'),
  devIdp: devIdpSchema,
  webhooks: webhookConfigSchema.default(webhookConfigSchema.parse({})).describe('Webhook delivery and the operator ceiling on tenant allow-lists (VIGIL_WEBHOOK_*); see docs/webhooks.md.'),
});

export type HubConfig = z.infer<typeof hubConfigSchema>;
export type HubConfigInput = z.input<typeof hubConfigSchema>;

/** Environment variable -> config key. */
export const HUB_ENV: Record<string, keyof HubConfig> = {
  VIGIL_DATA_DIR: 'dataDir',
  DATABASE_URL: 'databaseUrl',
  VIGIL_DATABASE_POOL_MAX: 'databasePoolMax',
  VIGIL_HOST: 'host',
  VIGIL_PORT: 'port',
  VIGIL_PUBLIC_URL: 'publicUrl',
  VIGIL_LOG_LEVEL: 'logLevel',
  VIGIL_JSON_BODY_LIMIT: 'jsonBodyLimitBytes',
  VIGIL_EVENTS_BODY_LIMIT: 'eventsBodyLimitBytes',
  VIGIL_MERGE_WINDOW_SECONDS: 'defaultMergeWindowSeconds',
  VIGIL_TRUST_PROXY: 'trustProxy',
  VIGIL_RATE_LIMIT_IDENTITY: 'rateLimitPerIdentityPerMinute',
  VIGIL_RATE_LIMIT_TENANT: 'rateLimitPerTenantPerMinute',
  VIGIL_ROLE: 'role',
  VIGIL_DEV_IDP: 'devIdp',
};
