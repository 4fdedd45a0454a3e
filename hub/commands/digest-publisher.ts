import { AppError, PRODUCTION_ENVIRONMENT, newId } from '../../contracts/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';
import type { DigestContent } from '../digest/content.js';
import type { DigestPeriod } from '../digest/period.js';
import { writeMessage } from '../webhooks/message-writer.js';
import { nowOf } from './clock.js';

export interface NewDigest {
  regionId: string;
  period: DigestPeriod;
  content: DigestContent;
  html: string;
}

/** The links of a digest, relative to the hub's API (made absolute for webhook receivers). */
export const digestLinks = (id: string) => ({ self: `/v1/analytics/digests/${id}`, html: `/v1/analytics/digests/${id}/html` });

/**
 * Stores a region's digest for a period, once: the tenant, environment, region, cadence and period start are
 * unique, so a second call (another worker, a rerun) stores nothing and returns null. The digest that is stored
 * is audited and announced as `analytics.digest` in the same transaction.
 */
export async function publishDigest(ctx: CommandContext, digest: NewDigest): Promise<string | null> {
  const { period } = digest;
  const id = newId('digest', nowOf(ctx).getTime());
  const inserted = await ctx.trx('analytics_digests').insert({
    tenant_id: ctx.tenantId, environment: ctx.environment ?? PRODUCTION_ENVIRONMENT, id, region_id: digest.regionId, cadence: period.cadence,
    period_start: period.start, period_end: period.end, content: JSON.stringify(digest.content), html: digest.html, created_at: nowOf(ctx),
  }).onConflict(['tenant_id', 'environment', 'region_id', 'cadence', 'period_start']).ignore().returning('id') as Array<{ id: string }>;
  if (inserted.length === 0) return null;
  if (inserted[0]?.id !== id) throw new AppError('internal', 'digest insert returned another row');
  const summary = { regionId: digest.regionId, cadence: period.cadence, periodStart: period.start.toISOString(), periodEnd: period.end.toISOString() };
  await writeAudit(ctx, { action: 'analytics.digest.published', subjectType: 'AnalyticsDigest', subjectId: id, after: { ...summary, incidents: digest.content.total.incidents } });
  await writeMessage(ctx.trx, ctx.tenantId, {
    type: 'analytics.digest', subjectId: id,
    data: { id, ...summary, region: digest.content.region, total: digest.content.total, topStores: digest.content.topStores, topLanes: digest.content.topLanes, topTypes: digest.content.topTypes, links: digestLinks(id) },
  });
  return id;
}
