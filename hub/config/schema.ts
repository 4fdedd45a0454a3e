import { z } from 'zod';
import { POS_ENV, posConfigSchema } from '../api/pos/pos-config.js';
import { AUDIT_ENV, AUDIT_S3_ENV, auditConfigSchema } from '../audit/audit-config.js';
import { authFailuresPerMinuteSchema } from '../auth/auth-config.js';
import { devIdpSchema, oidcConfigSchema } from '../auth/oidc/config-schema.js';
import { WEBHOOK_ENV, webhookConfigSchema } from '../webhooks/webhook-config.js';

/** `true/false`, `1/0`, `yes/no`, `on/off` from the environment; a real boolean from YAML. */
export const booleanSetting = z.union([z.boolean(), z.stringbool()]);
const port = z.coerce.number().int().min(0).max(65535);
const bytes = (max: number) => z.coerce.number().int().min(1024).max(max);
const MiB = 1024 * 1024;

const httpSection = z.strictObject({
  host: z.string().min(1).default('127.0.0.1').describe('Interface to listen on; 0.0.0.0 only when asked (VIGIL_HOST).'),
  port: port.default(8080).describe('HTTP port (VIGIL_PORT); 0 picks a free one.'),
  publicUrl: z.url().optional().describe('The URL clients reach the hub at, used in links (VIGIL_PUBLIC_URL).'),
  trustProxy: booleanSetting.default(false).describe('Take the client address from X-Forwarded-For, only behind a trusted proxy (VIGIL_TRUST_PROXY).'),
  jsonBodyLimitBytes: bytes(64 * MiB).default(MiB).describe('Default JSON body limit (VIGIL_JSON_BODY_LIMIT).'),
  eventsBodyLimitBytes: bytes(64 * MiB).default(4 * MiB).describe('Body limit of POST /v1/events (VIGIL_EVENTS_BODY_LIMIT).'),
  rateLimitPerIdentityPerMinute: z.coerce.number().int().min(0).max(1_000_000).default(1200).describe('Requests a minute per identity and API process; 0 turns the limit off (VIGIL_RATE_LIMIT_IDENTITY).'),
  rateLimitPerTenantPerMinute: z.coerce.number().int().min(0).max(10_000_000).default(20000).describe('Requests a minute per tenant and API process; 0 turns the limit off (VIGIL_RATE_LIMIT_TENANT).'),
  authFailuresPerMinute: authFailuresPerMinuteSchema,
});

const databaseSection = z.strictObject({
  url: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .describe('PostgreSQL connection URL; when absent the hub uses embedded PGlite under dataDir (DATABASE_URL).'),
  poolMax: z.coerce.number().int().min(1).max(200).default(10).describe('Pooled pg connections per process (VIGIL_DATABASE_POOL_MAX).'),
});

const identitySection = z.strictObject({
  oidc: oidcConfigSchema.optional().describe('Human login through an OpenID Connect provider (VIGIL_OIDC_*); see docs/identity.md.'),
  devIdp: devIdpSchema,
  webhooks: webhookConfigSchema.default(webhookConfigSchema.parse({})).describe('Webhook delivery and the operator ceiling on tenant allow-lists (VIGIL_WEBHOOK_*); see docs/webhooks.md.'),
});

const incidentsSection = z.strictObject({
  defaultMergeWindowSeconds: z.coerce.number().int().min(0).max(3600).default(30).describe('Events of one camera and type within this window merge into one open incident unless the store overrides it (VIGIL_MERGE_WINDOW_SECONDS).'),
});

const tuningSection = z.strictObject({
  recallFloor: z.coerce.number().min(0).max(1).default(0.9).describe('A threshold proposal never keeps fewer than this share of the verified incidents it replays (VIGIL_TUNING_RECALL_FLOOR).'),
  lookbackDays: z.coerce.number().int().min(1).max(365).default(30).describe('Days of stored events and verdicts a proposal replays unless the request names others (VIGIL_TUNING_DAYS).'),
});

const s3Section = z.strictObject({
  bucket: z.string().min(3).optional().describe('Bucket name (VIGIL_S3_BUCKET); required with the s3 backend.'),
  endpoint: z.url().optional().describe('S3-compatible endpoint: MinIO, Ceph… (VIGIL_S3_ENDPOINT).'),
  region: z.string().min(1).optional().describe('VIGIL_S3_REGION'),
  prefix: z.string().regex(/^([a-z0-9_-]+\/)*$/, 'lower-case path segments, each ending in /').optional().describe('Key prefix (VIGIL_S3_PREFIX).'),
  accessKeyId: z.string().min(1).optional().describe('AWS_ACCESS_KEY_ID'),
  secretAccessKey: z.string().min(1).optional().describe('AWS_SECRET_ACCESS_KEY'),
});

const evidenceSection = z
  .strictObject({
    backend: z.enum(['filesystem', 's3']).default('filesystem').describe('Where evidence lives (VIGIL_EVIDENCE_BACKEND).'),
    s3: s3Section.optional(),
    minFreeBytes: z.coerce.number().int().min(0).default(0).describe('Free bytes the evidence disk should keep; below it the oldest unheld evidence goes; 0 turns the sweep off (VIGIL_EVIDENCE_MIN_FREE_BYTES).'),
  })
  .refine((e) => e.backend !== 's3' || e.s3?.bucket !== undefined, { message: 'VIGIL_S3_BUCKET is required with VIGIL_EVIDENCE_BACKEND=s3', path: ['s3', 'bucket'] });

const retentionSection = z.strictObject({
  intervalSeconds: z.coerce.number().int().min(5).max(86_400).default(600).describe('How often the worker purges expired evidence (VIGIL_RETENTION_INTERVAL_SECONDS).'),
});

/** The hub's configuration, one schema with a section per concern. Every field says what it is for. */
export const hubConfigSchema = z.strictObject({
  dataDir: z.string().min(1).default('./.vigil').describe('Where PGlite data and local evidence live (VIGIL_DATA_DIR).'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino level (VIGIL_LOG_LEVEL).'),
  role: z.enum(['all', 'api', 'worker']).default('all').describe('api serves HTTP, worker runs background jobs, all does both (VIGIL_ROLE).'),
  http: httpSection.default(httpSection.parse({})),
  database: databaseSection.default(databaseSection.parse({})),
  identity: identitySection.default(identitySection.parse({})),
  incidents: incidentsSection.default(incidentsSection.parse({})),
  tuning: tuningSection.default(tuningSection.parse({})).describe('Threshold proposals from reviewers\' verdicts (docs/analytics.md).'),
  webhooks: webhookConfigSchema.default(webhookConfigSchema.parse({})),
  evidence: evidenceSection.default({ backend: 'filesystem', minFreeBytes: 0 }),
  retention: retentionSection.default(retentionSection.parse({})),
  pos: posConfigSchema.default(posConfigSchema.parse({})).describe('POS uploads: size limit and parse workers (VIGIL_POS_*).'),
  audit: auditConfigSchema.default({ retiredKeyFiles: [], checkpointIntervalSeconds: 60 }).describe('Audit chain key, checkpoint signing key and checkpoint destinations (VIGIL_AUDIT_*); see docs/audit.md.'),
});

export type HubConfig = z.infer<typeof hubConfigSchema>;
export type HubConfigInput = z.input<typeof hubConfigSchema>;

/** Deeply optional input, for overrides (CLI flags, tests). */
export type HubConfigOverrides = { [K in keyof HubConfigInput]?: HubConfigInput[K] extends object | undefined ? Partial<NonNullable<HubConfigInput[K]>> : HubConfigInput[K] };

/**
 * Environment variable -> dotted config path (and a parser for list values). An empty variable counts as
 * unset, so `VIGIL_PORT=` keeps the default; `false` and `0` are values.
 */
export const HUB_ENV: Record<string, string | { path: string; parse: (value: string) => unknown }> = {
  VIGIL_DATA_DIR: 'dataDir',
  VIGIL_LOG_LEVEL: 'logLevel',
  VIGIL_ROLE: 'role',
  VIGIL_HOST: 'http.host',
  VIGIL_PORT: 'http.port',
  VIGIL_PUBLIC_URL: 'http.publicUrl',
  VIGIL_TRUST_PROXY: 'http.trustProxy',
  VIGIL_JSON_BODY_LIMIT: 'http.jsonBodyLimitBytes',
  VIGIL_EVENTS_BODY_LIMIT: 'http.eventsBodyLimitBytes',
  VIGIL_RATE_LIMIT_IDENTITY: 'http.rateLimitPerIdentityPerMinute',
  VIGIL_RATE_LIMIT_TENANT: 'http.rateLimitPerTenantPerMinute',
  VIGIL_AUTH_FAILURES_PER_MINUTE: 'http.authFailuresPerMinute',
  DATABASE_URL: 'database.url',
  VIGIL_DATABASE_POOL_MAX: 'database.poolMax',
  VIGIL_DEV_IDP: 'identity.devIdp',
  VIGIL_MERGE_WINDOW_SECONDS: 'incidents.defaultMergeWindowSeconds',
  VIGIL_TUNING_RECALL_FLOOR: 'tuning.recallFloor',
  VIGIL_TUNING_DAYS: 'tuning.lookbackDays',
  ...Object.fromEntries(Object.entries(WEBHOOK_ENV).map(([variable, [path, parse]]) => [variable, { path: `webhooks.${path.join('.')}`, parse }])),
  VIGIL_EVIDENCE_BACKEND: 'evidence.backend',
  VIGIL_EVIDENCE_MIN_FREE_BYTES: 'evidence.minFreeBytes',
  VIGIL_S3_BUCKET: 'evidence.s3.bucket',
  VIGIL_S3_ENDPOINT: 'evidence.s3.endpoint',
  VIGIL_S3_REGION: 'evidence.s3.region',
  VIGIL_S3_PREFIX: 'evidence.s3.prefix',
  AWS_ACCESS_KEY_ID: 'evidence.s3.accessKeyId',
  AWS_SECRET_ACCESS_KEY: 'evidence.s3.secretAccessKey',
  VIGIL_RETENTION_INTERVAL_SECONDS: 'retention.intervalSeconds',
  ...Object.fromEntries(Object.entries(POS_ENV).map(([variable, key]) => [variable, `pos.${key}`])),
  ...Object.fromEntries(Object.entries(AUDIT_ENV).map(([variable, key]) => [variable, `audit.${key}`])),
  ...Object.fromEntries(Object.entries(AUDIT_S3_ENV).map(([variable, key]) => [variable, `audit.s3.${key}`])),
};
