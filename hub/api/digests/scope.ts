import { AppError } from '../../../contracts/index.js';
import { Region, Store } from '../../../models/index.js';
import { recordOf } from '../../../policies/index.js';
import { analyticsScope } from '../analytics/scope.js';
import type { RequestContext } from '../state.js';

/** What a digest shows of incidents: its lines name stores, lanes and types. */
const DIGEST_FIELDS = ['regionId', 'storeId', 'laneId', 'type'];

/** Conditions a region digest can honour: it is whole per store, so rules may choose regions and stores only. */
const DIGEST_CONDITION_FIELDS = new Set(['regionId', 'storeId', 'shadow']);

/**
 * The caller's incident rules must apply to the rollups and show the digest's fields (else 403, as for analytics),
 * and may limit incidents by region and store only: a rule on lanes, types or severities (allowing or denying)
 * would need a digest cut for this caller, so such a caller is refused rather than shown lines it may not read.
 */
function checkDigestRules(ctx: RequestContext): void {
  const { fields } = analyticsScope(ctx, DIGEST_FIELDS);
  const finer = fields.filter((f) => !DIGEST_CONDITION_FIELDS.has(f));
  if (finer.length > 0) throw new AppError('forbidden', `your incident rules depend on ${finer.join(', ')}, which a region digest cannot honour`);
}

/**
 * A digest covers a whole region, so the caller must read the incidents of every store of it (regional managers
 * their regions, central roles the tenant; a store role only a region of its own stores). Checked store by store,
 * so a rule denying one store of the region denies the region's digest.
 */
async function canReadRegionDigest(ctx: RequestContext, regionId: string): Promise<boolean> {
  const stores = await Store.forTenant(ctx.trx, ctx.principal.tenantId).where('stores.region_id', regionId).select('stores.id') as Array<{ id: string }>;
  if (!ctx.ability.can('read', recordOf('Incident', { regionId, shadow: false }))) return false;
  return stores.every((s) => ctx.ability.can('read', recordOf('Incident', { regionId, storeId: s.id, shadow: false })));
}

/** The regions whose digests the caller may read. */
export async function readableRegionIds(ctx: RequestContext): Promise<string[]> {
  checkDigestRules(ctx);
  const regions = await Region.forTenant(ctx.trx, ctx.principal.tenantId).select('regions.id') as Array<{ id: string }>;
  const readable = await Promise.all(regions.map(async (r) => ((await canReadRegionDigest(ctx, r.id)) ? r.id : null)));
  return readable.filter((id): id is string => id !== null);
}

/** A digest's region the caller may not read is a 404, exactly as another tenant's id. */
export async function checkDigestRegion(ctx: RequestContext, regionId: string, what: string): Promise<void> {
  checkDigestRules(ctx);
  if (!(await canReadRegionDigest(ctx, regionId))) throw new AppError('not_found', `${what} not found`);
}

/** A region filter must name a region of the caller's tenant whose digests they may read; otherwise 404. */
export async function checkRegionFilter(ctx: RequestContext, regionId: string): Promise<void> {
  const region = await Region.forTenant(ctx.trx, ctx.principal.tenantId).findOne('regions.id', regionId);
  if (!region) throw new AppError('not_found', `region ${regionId} not found`);
  await checkDigestRegion(ctx, regionId, `region ${regionId}`);
}
