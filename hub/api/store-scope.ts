import type { Id } from '../../contracts/index.js';
import { Store } from '../../models/index.js';
import { authorize, orNotFound } from './authorize.js';
import type { RequestContext } from './state.js';

/** A record created inside a store: the store must be the tenant's (404) and the role allowed there (403). */
export async function authorizeInStore(ctx: RequestContext, subject: 'Lane' | 'Camera', storeId: Id<'store'>): Promise<void> {
  const store = orNotFound(await Store.forTenant(ctx.trx, ctx.principal.tenantId).findOne('stores.id', storeId), `store ${storeId}`);
  authorize(ctx, 'create', subject, { storeId: store.id });
}
