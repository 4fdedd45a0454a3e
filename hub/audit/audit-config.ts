import { z } from 'zod';

const list = z.union([z.array(z.string().min(1)), z.string().transform((value) => value.split(/[\s,]+/).filter(Boolean))]);

/**
 * Where checkpoints of the audit chain go besides the local directory: an S3 bucket (with Object Lock in
 * compliance mode, each checkpoint kept for `retainDays`), read back by `vigil audit verify`.
 */
export const auditS3Schema = z.strictObject({
  bucket: z.string().min(3).describe('Bucket with Object Lock enabled (VIGIL_AUDIT_S3_BUCKET).'),
  prefix: z.string().default('audit-checkpoints/').describe('Key prefix inside the bucket (VIGIL_AUDIT_S3_PREFIX).'),
  endpoint: z.url().optional().describe('S3-compatible endpoint, e.g. MinIO (VIGIL_AUDIT_S3_ENDPOINT).'),
  region: z.string().min(1).default('us-east-1').describe('Region (VIGIL_AUDIT_S3_REGION).'),
  accessKeyId: z.string().min(1).optional().describe('Access key; absent means the SDK default chain (VIGIL_AUDIT_S3_ACCESS_KEY_ID).'),
  secretAccessKey: z.string().min(1).optional().describe('Secret key (VIGIL_AUDIT_S3_SECRET_ACCESS_KEY).'),
  retainDays: z.coerce.number().int().min(0).max(36500).default(400).describe('Object Lock retention per checkpoint; 0 sends no retention (bucket default applies) (VIGIL_AUDIT_S3_RETAIN_DAYS).'),
});

/**
 * The audit trail's secrets and anchors. Neither key is ever stored in the database: the HMAC key keys the
 * chain, the ed25519 key signs the checkpoints exported outside the database. With nothing set, both keys
 * and the checkpoint directory are made under the data directory on first start (mode 0600).
 */
export const auditConfigSchema = z.strictObject({
  key: z.string().min(1).optional().describe('The chain\'s HMAC key, base64 or hex, at least 32 bytes (VIGIL_AUDIT_KEY). Prefer keyFile.'),
  keyFile: z.string().min(1).optional().describe('File holding the HMAC key; default <dataDir>/audit/hmac.key, created if missing (VIGIL_AUDIT_KEY_FILE).'),
  retiredKeyFiles: list.default([]).describe('Earlier HMAC key files, still used to verify the records they keyed (VIGIL_AUDIT_RETIRED_KEY_FILES).'),
  signingKeyFile: z.string().min(1).optional().describe('PEM ed25519 private key signing checkpoints; default <dataDir>/audit/checkpoint-signing.pem (VIGIL_AUDIT_SIGNING_KEY_FILE).'),
  checkpointDir: z.string().min(1).optional().describe('Directory checkpoints are written to; default <dataDir>/audit/checkpoints (VIGIL_AUDIT_CHECKPOINT_DIR).'),
  checkpointIntervalSeconds: z.coerce.number().int().min(1).max(86_400).default(60).describe('How often the worker exports a checkpoint of each changed tenant chain (VIGIL_AUDIT_CHECKPOINT_INTERVAL_SECONDS).'),
  checkpointWebhookUrl: z.url().optional().describe('Each checkpoint is also POSTed here as JSON (VIGIL_AUDIT_CHECKPOINT_WEBHOOK_URL).'),
  s3: auditS3Schema.optional().describe('Also store checkpoints in an S3 bucket with Object Lock (VIGIL_AUDIT_S3_*).'),
});

export type AuditConfig = z.infer<typeof auditConfigSchema>;
export type AuditConfigInput = z.input<typeof auditConfigSchema>;

/** Environment variable -> key of the `audit` section. */
export const AUDIT_ENV: Record<string, keyof AuditConfig> = {
  VIGIL_AUDIT_KEY: 'key',
  VIGIL_AUDIT_KEY_FILE: 'keyFile',
  VIGIL_AUDIT_RETIRED_KEY_FILES: 'retiredKeyFiles',
  VIGIL_AUDIT_SIGNING_KEY_FILE: 'signingKeyFile',
  VIGIL_AUDIT_CHECKPOINT_DIR: 'checkpointDir',
  VIGIL_AUDIT_CHECKPOINT_INTERVAL_SECONDS: 'checkpointIntervalSeconds',
  VIGIL_AUDIT_CHECKPOINT_WEBHOOK_URL: 'checkpointWebhookUrl',
};

/** Environment variable -> key of `audit.s3`. */
export const AUDIT_S3_ENV: Record<string, keyof z.infer<typeof auditS3Schema>> = {
  VIGIL_AUDIT_S3_BUCKET: 'bucket',
  VIGIL_AUDIT_S3_PREFIX: 'prefix',
  VIGIL_AUDIT_S3_ENDPOINT: 'endpoint',
  VIGIL_AUDIT_S3_REGION: 'region',
  VIGIL_AUDIT_S3_ACCESS_KEY_ID: 'accessKeyId',
  VIGIL_AUDIT_S3_SECRET_ACCESS_KEY: 'secretAccessKey',
  VIGIL_AUDIT_S3_RETAIN_DAYS: 'retainDays',
};
