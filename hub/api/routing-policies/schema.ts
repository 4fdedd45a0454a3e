import { z } from 'zod';
import { EVENT_TYPES, SEVERITIES, idSchema } from '../../../contracts/index.js';
import { name, timestamp } from '../common-schemas.js';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)');

const fields = {
  name,
  regionId: idSchema('region').nullable().describe('Scope: one region (null: the whole tenant unless storeId is set).'),
  storeId: idSchema('store').nullable().describe('Scope: one store.'),
  incidentTypes: z.array(z.enum(EVENT_TYPES)).max(EVENT_TYPES.length).describe('Empty: every type.'),
  severities: z.array(z.enum(SEVERITIES)).max(SEVERITIES.length).describe('Empty: every severity.'),
  endpointIds: z.array(idSchema('webhook')).min(1).max(50).describe('Destinations.'),
  quietHours: z.strictObject({ start: hhmm, end: hhmm }).nullable().describe('No new-incident alerts in this window, on the store\'s wall clock.'),
  cooldownSeconds: z.number().int().min(0).max(86_400).describe('After an alert for a camera and type, further new incidents of both stay quiet this long.'),
  escalateAfterMinutes: z.number().int().min(1).max(10_080).nullable().describe('If nobody acknowledges a new incident in time, it goes to the escalation endpoints.'),
  escalationEndpointIds: z.array(idSchema('webhook')).max(50),
  enabled: z.boolean(),
};

export const createRouteBody = z.strictObject({
  ...fields,
  regionId: fields.regionId.default(null),
  storeId: fields.storeId.default(null),
  incidentTypes: fields.incidentTypes.default([]),
  severities: fields.severities.default([]),
  quietHours: fields.quietHours.default(null),
  cooldownSeconds: fields.cooldownSeconds.default(0),
  escalateAfterMinutes: fields.escalateAfterMinutes.default(null),
  escalationEndpointIds: fields.escalationEndpointIds.default([]),
  enabled: fields.enabled.default(true),
});

export const updateRouteBody = z.strictObject(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof fields]: z.ZodOptional<(typeof fields)[K]> });

/** `rtp_` ids; routing policies made before the rename kept their `pol_` ids, which still work. */
export const routingPolicyParams = z.strictObject({
  id: z.string().regex(/^(rtp|pol)_[0-9a-z]{10,40}$/, 'must be a rtp_ id').meta({ example: 'rtp_01jd0x6q8e4t0m3v7x9k2c5b1n' }),
});

export const routeSchema = z.object({
  id: z.string(), name: z.string(), regionId: z.string().nullable(), storeId: z.string().nullable(), incidentTypes: z.array(z.string()),
  severities: z.array(z.string()), endpointIds: z.array(z.string()), quietHours: z.object({ start: z.string(), end: z.string() }).nullable(),
  cooldownSeconds: z.number(), escalateAfterMinutes: z.number().nullable(), escalationEndpointIds: z.array(z.string()), enabled: z.boolean(),
  createdAt: timestamp, updatedAt: timestamp,
});
