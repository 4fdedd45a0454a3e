import { Store } from '../../../models/index.js';
import { createStore, updateStore } from '../../commands/directory-writer.js';
import { visibleFields } from '../field-filter.js';
import { resourceRoutes } from '../resource-routes.js';
import { presentStore } from './presenter.js';
import { createStoreBody, listStoresQuery, storeSchema, updateStoreBody } from './schema.js';

export const storeRoutes = resourceRoutes({
  names: { operation: 'Store', path: 'stores', one: 'store', many: 'stores', tag: 'Stores' },
  subject: 'Store', idKind: 'store', model: Store,
  schemas: { item: storeSchema, create: createStoreBody, update: updateStoreBody, list: listStoresQuery },
  present: (ctx, row) => visibleFields(ctx, 'Store', row, presentStore(row)),
  filter: (rows, query) => {
    if (query.regionId) void rows.where('stores.region_id', query.regionId);
  },
  create: createStore,
  update: updateStore,
});
