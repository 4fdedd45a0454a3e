import { AppError } from '../../../contracts/index.js';
import { Lane, Region, Store } from '../../../models/index.js';
import { recordOf, whereAllowed } from '../../../policies/index.js';
import type { AnalyticsFilter, ScopeFilter } from '../../analytics/index.js';
import { hiddenFields } from '../field-filter.js';
import type { RequestContext } from '../state.js';

/** The incident fields the rollup keeps, so the incidents' rules can be applied to it in SQL. */
const ROLLUP_FIELDS = new Set(['storeId', 'regionId', 'laneId', 'type', 'severity', 'shadow']);

/** Field names a MongoDB-style condition names, through $and / $or / $nor. */
function conditionFields(conditions: unknown): string[] {
  if (Array.isArray(conditions)) return conditions.flatMap(conditionFields);
  if (!conditions || typeof conditions !== 'object') return [];
  return Object.entries(conditions as Record<string, unknown>).flatMap(([key, value]) => (key.startsWith('$') ? conditionFields(value) : [key]));
}

/**
 * Analytics are authorised like incidents: the caller's read rules on Incident, applied in SQL to the rollup.
 * A rule that limits incidents by a field the rollup does not keep (state, assignee…) cannot be applied to
 * aggregates, so such a caller is refused rather than shown figures that include incidents it may not read.
 */
export function analyticsScope(ctx: RequestContext, exposes: readonly string[]): ScopeFilter {
  const fields = [...new Set(ctx.ability.rulesFor('read', 'Incident').flatMap((rule) => conditionFields(rule.conditions)))];
  const unknown = fields.filter((f) => !ROLLUP_FIELDS.has(f));
  if (unknown.length > 0) throw new AppError('forbidden', `your incident rules depend on ${unknown.join(', ')}, which analytics cannot apply to aggregates`);
  const hidden = hiddenFields(ctx, 'Incident', exposes);
  if (hidden.length > 0) throw new AppError('forbidden', `this figure shows ${hidden.join(', ')}, hidden from your role`);
  return { fields, apply: (qb, table) => void whereAllowed(qb, ctx.ability, 'read', 'Incident', table) };
}

const notFound = (what: string): never => {
  throw new AppError('not_found', `${what} not found`);
};

/**
 * A filter naming a store, lane or region must name one of the caller's tenant (and environment) whose
 * incidents the caller may read; otherwise 404, exactly as for another tenant's id.
 */
export async function checkFilterIds(ctx: RequestContext, filter: AnalyticsFilter): Promise<void> {
  const tenantId = ctx.principal.tenantId;
  let storeId = filter.storeId;
  if (filter.laneId) {
    const lane = (await Lane.forTenant(ctx.trx, tenantId).findOne('lanes.id', filter.laneId)) ?? notFound(`lane ${filter.laneId}`);
    if (storeId && storeId !== lane.storeId) notFound(`lane ${filter.laneId} in store ${storeId}`);
    storeId = lane.storeId;
  }
  if (storeId) {
    const store = (await Store.forTenant(ctx.trx, tenantId).findOne('stores.id', storeId)) ?? notFound(`store ${storeId}`);
    if (!ctx.ability.can('read', recordOf('Incident', { storeId: store.id, regionId: store.regionId, ...(filter.laneId ? { laneId: filter.laneId } : {}) }))) notFound(`store ${storeId}`);
  }
  if (filter.regionId) {
    const region = (await Region.forTenant(ctx.trx, tenantId).findOne('regions.id', filter.regionId)) ?? notFound(`region ${filter.regionId}`);
    if (!ctx.ability.can('read', recordOf('Incident', { regionId: region.id }))) notFound(`region ${filter.regionId}`);
  }
}
