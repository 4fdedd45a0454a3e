import { AppError } from '../../../contracts/index.js';
import { Region } from '../../../models/index.js';
import { recordOf } from '../../../policies/index.js';
import { analyticsScope } from '../analytics/scope.js';
import type { RequestContext } from '../state.js';

/** What a digest shows of incidents: its lines name stores, lanes and types. */
const DIGEST_FIELDS = ['regionId', 'storeId', 'laneId', 'type'];

/**
 * A digest covers a whole region, so it is authorised like a region-wide analytics figure: the caller's incident
 * rules must apply to the rollups and show the digest's fields (else 403, as for analytics), and must let them read
 * the incidents of the region as a whole (regional managers their regions, central roles the tenant; store roles none).
 */
export function canReadRegionDigest(ctx: RequestContext, regionId: string): boolean {
  return ctx.ability.can('read', recordOf('Incident', { regionId, shadow: false }));
}

/** The regions whose digests the caller may read (after the checks of analyticsScope). */
export async function readableRegionIds(ctx: RequestContext): Promise<string[]> {
  analyticsScope(ctx, DIGEST_FIELDS);
  const regions = await Region.forTenant(ctx.trx, ctx.principal.tenantId).select('regions.id') as Array<{ id: string }>;
  return regions.map((r) => r.id).filter((id) => canReadRegionDigest(ctx, id));
}

/** A digest's region the caller may not read is a 404, exactly as another tenant's id. */
export function checkDigestRegion(ctx: RequestContext, regionId: string, what: string): void {
  analyticsScope(ctx, DIGEST_FIELDS);
  if (!canReadRegionDigest(ctx, regionId)) throw new AppError('not_found', `${what} not found`);
}

/** A region filter must name a region of the caller's tenant whose digests they may read; otherwise 404. */
export async function checkRegionFilter(ctx: RequestContext, regionId: string): Promise<void> {
  const region = await Region.forTenant(ctx.trx, ctx.principal.tenantId).findOne('regions.id', regionId);
  if (!region) throw new AppError('not_found', `region ${regionId} not found`);
  checkDigestRegion(ctx, regionId, `region ${regionId}`);
}
