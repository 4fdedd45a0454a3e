import type { z } from 'zod';
import { whereAllowed } from '../../../policies/index.js';
import { authorizeType } from '../authorize.js';
import { paginate, type Page } from '../pagination.js';
import type { RequestContext } from '../state.js';
import type { holdsQuery } from './schema.js';

export interface HoldRow {
  id: string;
  target_type: 'incident' | 'item';
  target_id: string;
  reason: string;
  placed_by: string;
  placed_at: Date;
  released_by: string | null;
  released_at: Date | null;
  store_id: string | null;
  region_id: string | null;
}

/**
 * A page of the tenant's legal holds, newest first, as far as the caller may read the evidence under them.
 * A hold has no store of its own: it takes its target's (the incident's, or the item's), so the Evidence
 * rules' store and region conditions narrow the list in SQL like every other list.
 */
export async function listHolds(ctx: RequestContext, query: z.output<typeof holdsQuery>): Promise<Page<HoldRow>> {
  authorizeType(ctx, 'read', 'Evidence');
  const { trx } = ctx;
  const held = trx('evidence_holds as h')
    .leftJoin('incidents as i', (on) => void on.on('i.tenant_id', 'h.tenant_id').andOn('i.id', 'h.target_id').andOnVal('h.target_type', 'incident'))
    .leftJoin('evidence_items as e', (on) => void on.on('e.tenant_id', 'h.tenant_id').andOn('e.id', 'h.target_id').andOnVal('h.target_type', 'item'))
    .where('h.tenant_id', ctx.principal.tenantId)
    .select('h.id', 'h.target_type', 'h.target_id', 'h.reason', 'h.placed_by', 'h.placed_at', 'h.released_by', 'h.released_at',
      trx.raw('coalesce(i.store_id, e.store_id) as store_id'), trx.raw('coalesce(i.region_id, e.region_id) as region_id'));
  if (query.state === 'active') void held.whereNull('h.released_at');
  if (query.state === 'released') void held.whereNotNull('h.released_at');
  if (query.targetType) void held.where('h.target_type', query.targetType);
  if (query.targetId) void held.where('h.target_id', query.targetId);
  const qb = trx.from<HoldRow>(held.as('holds')).select('holds.*');
  whereAllowed(qb, ctx.ability, 'read', 'Evidence', 'holds');
  return paginate<HoldRow>(qb, 'holds', query);
}

export const presentHoldRow = (h: HoldRow) => ({
  id: h.id, targetType: h.target_type, targetId: h.target_id, reason: h.reason, placedBy: h.placed_by, placedAt: new Date(h.placed_at).toISOString(),
  releasedBy: h.released_by, releasedAt: h.released_at ? new Date(h.released_at).toISOString() : null, storeId: h.store_id,
});
