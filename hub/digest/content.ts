import { z } from 'zod';
import { DIGEST_CADENCES } from './period.js';

/** One ranked line of a digest: a store, lane or incident type, its incidents this period and the period before. */
export const digestLineSchema = z.object({
  key: z.string().describe('The store id, lane id or incident type'),
  label: z.string().describe('The store or lane name (a lane with its store), or the type'),
  incidents: z.number().int(),
  previous: z.number().int().describe('Incidents in the period before'),
  change: z.number().int().describe('incidents − previous'),
});
export type DigestLine = z.infer<typeof digestLineSchema>;

const countSchema = z.object({
  incidents: z.number().int(),
  previous: z.number().int(),
  change: z.number().int(),
  changePercent: z.number().nullable().describe('The change relative to the period before, in percent (null when it had none)'),
});

/** What a digest says: the region's incidents in a closed period, against the period before, and its top lines. */
export const digestContentSchema = z.object({
  regionId: z.string(),
  region: z.string().describe('The region\'s name'),
  cadence: z.enum(DIGEST_CADENCES),
  periodStart: z.string().describe('Inclusive, UTC: 00:00 of the day, or Monday 00:00 of the ISO week'),
  periodEnd: z.string().describe('Exclusive'),
  previousStart: z.string().describe('The start of the period compared with (which ends at periodStart)'),
  total: countSchema,
  acknowledged: z.number().int().describe('Incidents of the period acknowledged (moved out of new) so far'),
  medianAckSeconds: z.number().nullable().describe('Median time to acknowledge (the upper bound of its histogram bucket); null when none or over a week'),
  topStores: z.array(digestLineSchema),
  topLanes: z.array(digestLineSchema),
  topTypes: z.array(digestLineSchema),
});
export type DigestContent = z.infer<typeof digestContentSchema>;

/** How many lines each top list keeps. */
export const TOP_LINES = 5;
