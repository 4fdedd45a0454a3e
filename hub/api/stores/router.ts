import { Region, Store } from '../../../models/index.js';
import { whereAllowed } from '../../../policies/index.js';
import { createRecord, updateRecord } from '../../commands/record-writer.js';
import { authorize, authorizeType, orNotFound } from '../authorize.js';
import { commandContext } from '../command-context.js';
import { idParams } from '../common-schemas.js';
import { pageSchema, paginate } from '../pagination.js';
import { refuseHiddenFilters, visibleFields } from '../field-filter.js';
import { defineRoute } from '../route.js';
import type { RequestContext } from '../state.js';
import { presentStore } from './presenter.js';
import { createStoreBody, listStoresQuery, storeSchema, updateStoreBody } from './schema.js';

const tag = 'Stores';

async function requireRegion(ctx: RequestContext, regionId: string): Promise<void> {
  orNotFound(await Region.forTenant(ctx.trx, ctx.principal.tenantId).findOne('regions.id', regionId), `region ${regionId}`);
}

export const storeRoutes = [
  defineRoute({
    method: 'post', path: '/v1/stores', operationId: 'createStore', summary: 'Create a store', tag,
    body: createStoreBody,
    responses: { 201: { description: 'Created', schema: storeSchema } },
    handler: async ({ body }, ctx) => {
      authorizeType(ctx, 'create', 'Store');
      await requireRegion(ctx, body.regionId);
      const store = await createRecord(commandContext(ctx), Store, 'store', 'Store', body);
      return { status: 201, body: visibleFields(ctx, 'Store', store, presentStore(store)) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/stores', operationId: 'listStores', summary: 'List stores', tag,
    query: listStoresQuery,
    responses: { 200: { description: 'A page of stores', schema: pageSchema(storeSchema) } },
    handler: async ({ query }, ctx) => {
      const qb = Store.forTenant(ctx.trx, ctx.principal.tenantId);
      refuseHiddenFilters(ctx, 'Store', query, ['regionId']);
      if (query.regionId) void qb.where('stores.region_id', query.regionId);
      whereAllowed(qb, ctx.ability, 'read', 'Store', 'stores');
      const page = await paginate<Store>(qb, 'stores', query);
      return { status: 200, body: { data: page.rows.map((row) => visibleFields(ctx, 'Store', row, presentStore(row))), nextCursor: page.nextCursor } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/stores/:id', operationId: 'getStore', summary: 'Get a store', tag,
    params: idParams('store'),
    responses: { 200: { description: 'The store', schema: storeSchema } },
    handler: async ({ params }, ctx) => {
      const store = orNotFound(await Store.forTenant(ctx.trx, ctx.principal.tenantId).findOne('stores.id', params.id), 'store');
      authorize(ctx, 'read', 'Store', store);
      return { status: 200, body: visibleFields(ctx, 'Store', store, presentStore(store)) };
    },
  }),
  defineRoute({
    method: 'patch', path: '/v1/stores/:id', operationId: 'updateStore', summary: 'Update a store', tag,
    params: idParams('store'), body: updateStoreBody,
    responses: { 200: { description: 'The updated store', schema: storeSchema } },
    handler: async ({ params, body }, ctx) => {
      const store = orNotFound(await Store.forTenant(ctx.trx, ctx.principal.tenantId).findOne('stores.id', params.id).forUpdate(), 'store');
      authorize(ctx, 'update', 'Store', store);
      if (body.regionId) await requireRegion(ctx, body.regionId);
      const patch = body.settings ? { ...body, settings: { ...store.settings, ...body.settings } } : body;
      const updated = await updateRecord(commandContext(ctx), Store, 'Store', store, patch);
      return { status: 200, body: visibleFields(ctx, 'Store', updated, presentStore(updated)) };
    },
  }),
];
