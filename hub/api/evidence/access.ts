import { AppError } from '../../../contracts/index.js';
import { Incident } from '../../../models/index.js';
import { loadItem, type EvidenceItemRow } from '../../evidence/index.js';
import { authorize, orNotFound } from '../authorize.js';
import type { RequestContext } from '../state.js';

/** Loads an incident the caller may read (404 otherwise, like another tenant's). */
export async function readableIncident(ctx: RequestContext, id: string): Promise<Incident> {
  const incident = orNotFound(await Incident.forTenant(ctx.trx, ctx.principal.tenantId).findOne('incidents.id', id), 'incident');
  authorize(ctx, 'read', 'Incident', incident);
  return incident;
}

/**
 * Access to an item follows its incident's permissions; an item not (yet) linked to an incident follows the
 * store-scoped Evidence rules.
 */
export async function readableItem(ctx: RequestContext, id: string): Promise<EvidenceItemRow> {
  const item = await loadItem(ctx.trx, ctx.principal.tenantId, id);
  if (item.incident_id) {
    try {
      await readableIncident(ctx, item.incident_id);
    } catch (error) {
      if ((error as AppError).code === 'not_found') throw new AppError('not_found', 'evidence item not found');
      throw error;
    }
  } else {
    authorize(ctx, 'read', 'Evidence', { storeId: item.store_id, regionId: item.region_id });
  }
  return item;
}
