import { z } from 'zod';
import { EVENT_TYPES, INCIDENT_STATES, SEVERITIES, idSchema, outcomeSchema, isoDateTime } from '../../../contracts/index.js';
import { timestamp } from '../common-schemas.js';
import { pageQuery } from '../pagination.js';
import { incidentPosSchema } from '../pos/schema.js';

export const listIncidentsQuery = z.strictObject({
  ...pageQuery,
  storeId: idSchema('store').optional(),
  regionId: idSchema('region').optional(),
  laneId: idSchema('lane').optional(),
  cameraId: idSchema('camera').optional(),
  type: z.enum(EVENT_TYPES).optional(),
  state: z.enum(INCIDENT_STATES).optional(),
  severity: z.enum(SEVERITIES).optional(),
  from: isoDateTime().optional().describe('Incidents whose last event is at or after this time.'),
  to: isoDateTime().optional().describe('Incidents opened before this time.'),
  eventId: idSchema('event').optional().describe('The incident this detection event joined (how a VMS alarm’s link finds its incident).'),
  sort: z.enum(['newest', 'severity']).default('newest').describe('newest: newest first (the default); severity: most severe first, newest first within a severity (the review queue).'),
});

export const incidentEventSchema = z.object({
  id: z.string(),
  occurredAt: timestamp,
  type: z.string(),
  severity: z.string(),
  confidence: z.number(),
  cameraId: z.string(),
  laneId: z.string().nullable(),
  rule: z.object({ name: z.string(), version: z.string().optional() }).nullable(),
  zone: z.string().nullable(),
  detections: z.array(z.object({ label: z.string(), score: z.number(), box: z.tuple([z.number(), z.number(), z.number(), z.number()]), trackId: z.number().int().optional() })),
});

export const incidentSchema = z.object({
  id: z.string(),
  storeId: z.string(),
  regionId: z.string(),
  laneId: z.string().nullable(),
  cameraId: z.string(),
  type: z.string(),
  severity: z.string(),
  state: z.string(),
  assigneeId: z.string().nullable(),
  confidence: z.number(),
  eventCount: z.number().int(),
  openedAt: timestamp,
  lastEventAt: timestamp,
  dismissReason: z.string().nullable(),
  programId: z.string().nullable().describe('The pilot program whose rule raised it'),
  shadow: z.boolean().describe('A shadow hit of a pilot program: reviewed centrally, never alarmed in the store'),
  outcome: outcomeSchema.nullable(),
  version: z.number().int(),
  allowedTransitions: z.array(z.string()),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const incidentDetailSchema = incidentSchema.extend({
  pos: z.array(incidentPosSchema).describe('POS transactions linked to the incident (same lane within the correlation window, or the exception it was opened for), in time order.'),
});

export const transitionSchema = z.object({
  id: z.string(),
  action: z.string(),
  fromState: z.string(),
  toState: z.string(),
  actorId: z.string(),
  reason: z.string().nullable(),
  outcome: outcomeSchema.nullable(),
  at: timestamp,
});

export const commentBody = z.strictObject({ body: z.string().trim().min(1).max(4000) });
export const commentSchema = z.object({ id: z.string(), authorId: z.string(), body: z.string(), at: timestamp });
