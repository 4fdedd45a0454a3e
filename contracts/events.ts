import { z } from 'zod';
import { eventProgramSchema } from './programs.js';
import { idSchema } from './ids.js';
import { isoDateTime } from './time.js';

/** Incident and event types raised by the plugin's rules. Adding one is a contract change. */
export const EVENT_TYPES = [
  'zone_dwell',
  'scan_avoidance',
  'concealment',
  'no_sale_drawer_open',
  'refund_no_customer',
  'push_out',
  'sweethearting',
  'void_after_bagging',
  'loitering_high_value',
  'sweep',
  'pos_exception',
  'camera_health',
] as const;
export const eventTypeSchema = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof eventTypeSchema>;

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const severitySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof severitySchema>;

/** A box in the frame's normalised coordinates (0..1), [x1, y1, x2, y2]. */
export const normalisedBoxSchema = z
  .tuple([z.number().min(0).max(1), z.number().min(0).max(1), z.number().min(0).max(1), z.number().min(0).max(1)])
  .refine(([x1, y1, x2, y2]) => x2 >= x1 && y2 >= y1, { message: 'box corners must be ordered [x1, y1, x2, y2]' });

export const eventDetectionSchema = z.strictObject({
  label: z.string().min(1).max(64),
  score: z.number().min(0).max(1),
  box: normalisedBoxSchema,
  trackId: z.number().int().nonnegative().optional(),
});
export type EventDetection = z.infer<typeof eventDetectionSchema>;

export const evidenceRefSchema = z.strictObject({
  kind: z.enum(['clip', 'snapshot']),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  contentType: z.string().max(100),
  startedAt: isoDateTime().optional(),
  endedAt: isoDateTime().optional(),
  evidenceId: idSchema('evidence').optional(),
});
export type EvidenceRef = z.infer<typeof evidenceRefSchema>;

/**
 * One detection event as a plugin sends it. `id` is minted at the edge and stable across resends, so
 * the hub can treat a replay as the same event.
 */
export const detectionEventSchema = z.strictObject({
  id: idSchema('event'),
  cameraId: idSchema('camera'),
  storeId: idSchema('store'),
  laneId: idSchema('lane').optional(),
  type: eventTypeSchema,
  severity: severitySchema.default('medium'),
  occurredAt: isoDateTime(),
  confidence: z.number().min(0).max(1),
  rule: z.strictObject({ name: z.string().min(1).max(100), version: z.string().max(40).optional() }),
  model: z.strictObject({ name: z.string().min(1).max(100), version: z.string().max(40).optional() }).optional(),
  zone: z.string().max(100).optional(),
  detections: z.array(eventDetectionSchema).max(200).default([]),
  evidence: z.array(evidenceRefSchema).max(20).default([]),
  attributes: z.record(z.string().max(64), z.union([z.string().max(1000), z.number(), z.boolean(), z.null()])).default({}),
  program: eventProgramSchema.optional().describe('The pilot program whose rule raised it; the hub files it as shadow or live by its own record of the program'),
});
export type DetectionEvent = z.infer<typeof detectionEventSchema>;
export type DetectionEventInput = z.input<typeof detectionEventSchema>;

export const MAX_EVENTS_PER_BATCH = 500;

export const eventBatchSchema = z.strictObject({
  events: z.array(detectionEventSchema).min(1).max(MAX_EVENTS_PER_BATCH),
});

/**
 * The envelope of `POST /v1/events` as the hub reads it: only the envelope is checked as a whole; each
 * event is validated on its own against `detectionEventSchema`, so one bad event is refused in its own
 * result while the others are stored.
 */
export const eventEnvelopeSchema = z.strictObject({
  events: z.array(z.unknown().describe('A DetectionEvent; validated one by one, a bad one is refused in its own result'))
    .min(1).max(MAX_EVENTS_PER_BATCH),
});

/** Per-item result of `POST /v1/events`. `duplicate` means the event id was seen before: nothing new was written. */
export const eventResultSchema = z.strictObject({
  id: z.string(),
  status: z.enum(['created', 'duplicate', 'rejected']),
  incidentId: z.string().optional(),
  error: z.strictObject({ code: z.string(), message: z.string() }).optional(),
});
export type EventResult = z.infer<typeof eventResultSchema>;
