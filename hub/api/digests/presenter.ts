import type { z } from 'zod';
import { digestLinks } from '../../commands/digest-publisher.js';
import { digestContentSchema } from '../../digest/index.js';
import type { digestSchema, digestSummarySchema } from './schema.js';

export interface DigestRow {
  id: string;
  region_id: string;
  cadence: 'daily' | 'weekly';
  period_start: Date;
  period_end: Date;
  created_at: Date;
  content: unknown;
}

export const DIGEST_COLUMNS = ['id', 'region_id', 'cadence', 'period_start', 'period_end', 'created_at', 'content'] as const;

export function presentDigestSummary(row: DigestRow): z.infer<typeof digestSummarySchema> {
  const content = digestContentSchema.parse(row.content);
  return {
    id: row.id, regionId: row.region_id, region: content.region, cadence: row.cadence,
    periodStart: new Date(row.period_start).toISOString(), periodEnd: new Date(row.period_end).toISOString(), createdAt: new Date(row.created_at).toISOString(),
    incidents: content.total.incidents, change: content.total.change, links: digestLinks(row.id),
  };
}

export function presentDigest(row: DigestRow): z.infer<typeof digestSchema> {
  return { ...presentDigestSummary(row), content: digestContentSchema.parse(row.content) };
}
