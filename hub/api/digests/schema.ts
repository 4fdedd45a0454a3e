import { z } from 'zod';
import { idSchema } from '../../../contracts/index.js';
import { DIGEST_CADENCES, digestContentSchema } from '../../digest/index.js';
import { pageQuery, pageSchema } from '../pagination.js';

export const listDigestsQuery = z.strictObject({
  ...pageQuery,
  regionId: idSchema('region').optional().describe('Only this region\'s digests.'),
  cadence: z.enum(DIGEST_CADENCES).optional(),
});

const links = z.object({ self: z.string(), html: z.string() });

export const digestSummarySchema = z.object({
  id: z.string(),
  regionId: z.string(),
  region: z.string(),
  cadence: z.enum(DIGEST_CADENCES),
  periodStart: z.string(),
  periodEnd: z.string(),
  createdAt: z.string(),
  incidents: z.number().int().describe('Live incidents in the period'),
  change: z.number().int().describe('Against the period before'),
  links,
});

export const digestSchema = digestSummarySchema.extend({ content: digestContentSchema });
export const digestPageSchema = pageSchema(digestSummarySchema);
