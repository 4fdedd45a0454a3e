import { z } from 'zod';
import type { VmsAlarm } from './capabilities.js';
import { eventDetectionSchema, severitySchema } from './events.js';
import { isoDateTime } from './time.js';

/** A VMS alarm as the plugin's outbox stores it (the `vms` stream); the schema of `VmsAlarm`. */
export const vmsAlarmSchema: z.ZodType<VmsAlarm> = z.strictObject({
  id: z.string().min(1).max(100),
  type: z.string().min(1).max(64),
  title: z.string().min(1).max(200),
  description: z.string().max(2000),
  severity: severitySchema,
  occurredAt: isoDateTime(),
  camera: z.strictObject({
    id: z.string().min(1).max(100),
    name: z.string().min(1).max(200),
    vms: z.strictObject({ id: z.string().max(200).optional(), name: z.string().max(200).optional() }),
  }),
  storeId: z.string().min(1).max(100),
  laneId: z.string().max(100).optional(),
  detections: z.array(eventDetectionSchema).max(200),
  incidentUrl: z.url().optional(),
});
