import { z } from 'zod';
import { EVENT_TYPES, SEVERITIES, idSchema, isoDateTime } from '../../../contracts/index.js';
import { DIMENSIONS, INTERVALS, REPEAT_DIMENSIONS } from '../../analytics/index.js';

export const HEALTH_LEVELS = ['camera', 'store'] as const;

/** The filters every figure takes. */
export const filterQuery = {
  from: isoDateTime().optional().describe('Hours starting at or after this time (rounded down to the hour); default 30 days before `to`.'),
  to: isoDateTime().optional().describe('Hours starting before this time (rounded up to the hour); default now.'),
  regionId: idSchema('region').optional(),
  storeId: idSchema('store').optional(),
  laneId: idSchema('lane').optional(),
  type: z.enum(EVENT_TYPES).optional(),
  severity: z.enum(SEVERITIES).optional(),
  format: z.enum(['json', 'csv']).optional().describe('csv: a CSV export of the same rows (also chosen by Accept: text/csv).'),
};

const by = z.enum(DIMENSIONS).optional().describe('Split the figure by this dimension.');

export const seriesQuery = z.strictObject({ ...filterQuery, by, interval: z.enum(INTERVALS).optional().describe('Time bucket (UTC); none: one total per key.') });
export const splitQuery = z.strictObject({ ...filterQuery, by });
export const heatmapQuery = z.strictObject(filterQuery);
const { type: _type, severity: _severity, ...posFilters } = filterQuery;
export const repeatExceptionsQuery = z.strictObject({
  ...posFilters,
  by: z.enum(REPEAT_DIMENSIONS).default('lane').describe('lane, or operator (a POS operator id, keyed with its store)'),
  min: z.coerce.number().int().min(1).max(1000).default(2).describe('Only lanes or operators with at least this many linked exception transactions in the range.'),
  limit: z.coerce.number().int().min(1).max(200).default(20).describe('The top N.'),
});
export const cameraHealthQuery = z.strictObject({
  ...posFilters,
  by: z.enum(HEALTH_LEVELS).default('camera').describe('camera: a row per camera; store: the cameras summed per store'),
});
export const acceptHeader = z.object({ accept: z.string().optional() });

const range = { from: z.string(), to: z.string() };
const duration = z.object({
  count: z.number().int(),
  p50: z.number().nullable().describe('Seconds (upper bound of the histogram bucket); null: longer than a week'),
  p90: z.number().nullable(),
  histogram: z.array(z.number().int()),
});

export const seriesSchema = z.object({ ...range, data: z.array(z.object({ bucket: z.string().nullable(), key: z.string().nullable(), label: z.string().nullable(), incidents: z.number().int(), events: z.number().int() })) });
export const heatmapSchema = z.object({ ...range, data: z.array(z.object({ weekday: z.number().int().describe('ISO weekday, 1 Monday … 7 Sunday, in the store\'s time zone'), hour: z.number().int(), incidents: z.number().int() })) });
export const responseTimesSchema = z.object({ ...range, bounds: z.array(z.number()), data: z.array(z.object({ key: z.string().nullable(), label: z.string().nullable(), incidents: z.number().int(), acknowledged: duration, resolved: duration })) });
export const outcomesSchema = z.object({ ...range, data: z.array(z.object({ key: z.string().nullable(), label: z.string().nullable(), outcome: z.string(), incidents: z.number().int(), recoveredValue: z.number() })) });
export const repeatExceptionsSchema = z.object({
  ...range,
  by: z.enum(REPEAT_DIMENSIONS),
  data: z.array(z.object({
    storeId: z.string(), store: z.string().describe('The store\'s name'), key: z.string().nullable().describe('The lane id or the operator id (null: transactions without an operator)'),
    label: z.string().nullable(), transactions: z.number().int().describe('Linked POS transactions with exceptions'), exceptions: z.number().int().describe('Exception codes on them'),
  })),
});

const CAMERA_STATES = ['online', 'degraded', 'offline'] as const;
const healthFigures = {
  downtimeSeconds: z.number().describe('Time with an open outage, clipped to the range (overlapping outages once)'),
  uptime: z.number().nullable().describe('Online share of the observed time (the range up to now); null when none of it has passed'),
  outages: z.number().int().describe('Outages overlapping the range (overlapping incidents of a camera are one outage)'),
  longestOutageSeconds: z.number().describe('The longest outage, clipped to the range'),
  offlineReports: z.number().int(), degradedReports: z.number().int(), tamperReports: z.number().int(),
};
const cameraHealthRow = z.object({
  cameraId: z.string(), camera: z.string().describe('The camera\'s name'), storeId: z.string(), store: z.string(), regionId: z.string(), laneId: z.string().nullable(),
  observedSeconds: z.number(), ...healthFigures, currentState: z.enum(CAMERA_STATES).describe('Now: offline while an outage is open, degraded when the latest report says so'),
});
const storeHealthRow = z.object({
  storeId: z.string(), store: z.string(), regionId: z.string(), cameras: z.number().int(), ...healthFigures, camerasOffline: z.number().int(), camerasDegraded: z.number().int(),
});
export const cameraHealthSchema = z.object({
  ...range, observedTo: z.string().describe('The end of the observed time: now, when the range has not ended'), by: z.enum(HEALTH_LEVELS),
  data: z.array(z.union([cameraHealthRow, storeHealthRow])),
});
