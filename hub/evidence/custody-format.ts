import { z } from 'zod';

/** /2: one chain per audit shard. /1 (bundles made before shards were in the extract) had shard 0 only. */
export const AUDIT_EXTRACT_FORMAT = 'vigil-audit-extract/2';
const AUDIT_EXTRACT_FORMAT_V1 = 'vigil-audit-extract/1';
const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

/** One record of one of the tenant's audit chains (a shard) as a link: enough to check that the chain runs on unbroken. */
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
  /** The tenant's chain (shard) the record is on; its `seq` counts within that chain. */
  shard: z.number().int().min(0),
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
  /** Absent for shard 0 (as every checkpoint before shards was signed). */
  shard: z.number().int().min(1).optional(),
  seq: z.number().int().min(0),
  headHash: hex64,
  at: z.string(),
  keyId: z.string(),
  signature: z.string(),
});

const head = z.object({ seq: z.number().int().min(0), hash: hex64 });

/**
 * One of the tenant's audit chains as the extract carries it: its head at export, the latest signed
 * checkpoint of that chain with the checkpoint key's public half, and the links of every record of the
 * chain from the earlier of the first record about the bundle on it and the checkpoint, up to the head.
 */
export const extractChainSchema = z.object({
  shard: z.number().int().min(0),
  head,
  checkpoint: extractCheckpointSchema.nullable(),
  /** The audit checkpoint key's public half (SPKI PEM), to check the checkpoint's signature. */
  checkpointPublicKeyPem: z.string().nullable(),
  links: z.array(chainLinkSchema),
});
export type ExtractChain = z.infer<typeof extractChainSchema>;

/**
 * The bundle's audit extract: every record about the incident, its items (purged ones too) and its
 * exports, in full, each with the chain (shard) it is on; and every chain of the tenant with its links, so
 * each chain's continuity is checked offline and anchored to that chain's checkpoint.
 */
export const auditExtractSchema = z.object({
  format: z.literal(AUDIT_EXTRACT_FORMAT),
  tenantId: z.string(),
  subjects: z.array(z.string()),
  /** Viewers' IP addresses and user agents were removed (redacted bundles). */
  networkDetailsRemoved: z.boolean(),
  chains: z.array(extractChainSchema),
  records: z.array(extractRecordSchema),
});
export type AuditExtract = z.infer<typeof auditExtractSchema>;

/** The extract of bundles made before shards (one chain, no shard on records), read as a /2 extract of shard 0. */
const auditExtractV1Schema = z.object({
  format: z.literal(AUDIT_EXTRACT_FORMAT_V1),
  tenantId: z.string(),
  subjects: z.array(z.string()),
  networkDetailsRemoved: z.boolean(),
  head,
  checkpoint: extractCheckpointSchema.nullable(),
  checkpointPublicKeyPem: z.string().nullable(),
  links: z.array(chainLinkSchema),
  records: z.array(extractRecordSchema.omit({ shard: true })),
}).transform((v1): AuditExtract => ({
  format: AUDIT_EXTRACT_FORMAT, tenantId: v1.tenantId, subjects: v1.subjects, networkDetailsRemoved: v1.networkDetailsRemoved,
  chains: [{ shard: 0, head: v1.head, checkpoint: v1.checkpoint, checkpointPublicKeyPem: v1.checkpointPublicKeyPem, links: v1.links }],
  records: v1.records.map((r) => ({ ...r, shard: 0 })),
}));

/** What the verifier reads: a /2 extract, or a /1 extract of an older bundle. */
export const anyAuditExtractSchema = z.union([auditExtractSchema, auditExtractV1Schema]);
