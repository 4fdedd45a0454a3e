import { z } from 'zod';
import { idSchema, normalisedBoxSchema, isoDateTime } from '../../contracts/index.js';

export const EVIDENCE_KINDS = ['clip', 'snapshot', 'metadata'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export const CONTENT_TYPES: Record<EvidenceKind, string> = { clip: 'video/mp4', snapshot: 'image/jpeg', metadata: 'application/json' };

/** A detection drawn in the evidence; `involved: false` people are blurred in redacted exports. */
export const evidenceDetectionSchema = z.strictObject({
  label: z.string().min(1).max(64),
  score: z.number().min(0).max(1),
  box: normalisedBoxSchema,
  trackId: z.number().int().nonnegative().optional(),
  involved: z.boolean().default(false).describe('Part of the incident (the rule fired on this track); others are redacted.'),
});
export type EvidenceDetection = z.infer<typeof evidenceDetectionSchema>;

export const evidenceMetadataSchema = z.strictObject({
  detections: z.array(evidenceDetectionSchema).max(500).default([]),
  rule: z.strictObject({ name: z.string().min(1).max(100), version: z.string().max(40).optional() }).optional(),
  model: z.strictObject({ name: z.string().min(1).max(100), version: z.string().max(40).optional() }).optional(),
  pluginVersion: z.string().max(40).optional(),
  overlay: z.boolean().default(false).describe('A snapshot copy with the detections drawn on it (the original is its own item).'),
});

/** What a plugin declares when it opens an upload: the bytes to expect and what the item is. */
export const uploadRequestSchema = z.strictObject({
  kind: z.enum(EVIDENCE_KINDS),
  bytes: z.number().int().min(1).describe('Exact size of the whole item.'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).describe('SHA-256 computed at capture on the edge, hex.'),
  cameraId: idSchema('camera'),
  incidentId: idSchema('incident').optional(),
  eventId: idSchema('event').optional().describe('The detection event it belongs to; links the item to that event\'s incident.'),
  originalId: idSchema('evidence').optional().describe('For an overlay snapshot: the untouched snapshot item.'),
  capturedFrom: isoDateTime(),
  capturedTo: isoDateTime(),
  metadata: evidenceMetadataSchema.default({ detections: [], overlay: false }),
});
export type UploadRequest = z.infer<typeof uploadRequestSchema>;

/** What the upload row keeps until the item exists. */
export interface PendingItem {
  kind: EvidenceKind;
  storeId: string;
  regionId: string;
  cameraId: string;
  incidentId: string | null;
  eventId: string | null;
  originalId: string | null;
  capturedFrom: string;
  capturedTo: string;
  metadata: z.infer<typeof evidenceMetadataSchema>;
}

/** Per-tenant limits, from `tenants.settings.evidence`. */
export const evidenceLimitsSchema = z.object({
  maxItemBytes: z.number().int().min(1024).default(512 * 1024 * 1024),
  maxChunkBytes: z.number().int().min(64 * 1024).default(16 * 1024 * 1024),
  uploadTtlHours: z.number().int().min(1).max(24 * 14).default(48),
});
export type EvidenceLimits = z.infer<typeof evidenceLimitsSchema>;
