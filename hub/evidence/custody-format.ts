import { z } from 'zod';

export const AUDIT_EXTRACT_FORMAT = 'vigil-audit-extract/1';
const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

/** One record of the tenant's audit chain as a link: enough to check that the chain runs on unbroken. */
export const chainLinkSchema = z.object({
  seq: z.number().int().min(1),
  id: z.string(),
  prevHash: hex64,
  hash: hex64,
  /** The record is about this bundle's incident, items or exports, and is in `records` in full. */
  full: z.boolean(),
});
export type ChainLink = z.infer<typeof chainLinkSchema>;

export const extractRecordSchema = z.object({
  seq: z.number().int().min(1),
  id: z.string(),
  occurredAt: z.string(),
  actorType: z.string(),
  actorId: z.string(),
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
  clientAddress: z.string().nullable(),
  prevHash: hex64,
  hash: hex64,
  macAlg: z.string(),
  keyId: z.string().nullable(),
});
export type ExtractRecord = z.infer<typeof extractRecordSchema>;

export const extractCheckpointSchema = z.object({
  v: z.literal(1),
  tenantId: z.string(),
  seq: z.number().int().min(0),
  headHash: hex64,
  at: z.string(),
  keyId: z.string(),
  signature: z.string(),
});

/**
 * The bundle's audit extract: every record about the incident, its items (purged ones too) and its
 * exports, in full; and the links of every chain record from the earlier of the first such record and
 * the latest signed checkpoint up to the chain head at export, so continuity is checked offline.
 */
export const auditExtractSchema = z.object({
  format: z.literal(AUDIT_EXTRACT_FORMAT),
  tenantId: z.string(),
  subjects: z.array(z.string()),
  /** Viewers' IP addresses and user agents were removed (redacted bundles). */
  networkDetailsRemoved: z.boolean(),
  head: z.object({ seq: z.number().int().min(0), hash: hex64 }),
  checkpoint: extractCheckpointSchema.nullable(),
  /** The audit checkpoint key's public half (SPKI PEM), to check the checkpoint's signature. */
  checkpointPublicKeyPem: z.string().nullable(),
  links: z.array(chainLinkSchema),
  records: z.array(extractRecordSchema),
});
export type AuditExtract = z.infer<typeof auditExtractSchema>;
