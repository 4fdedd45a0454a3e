import { Lane } from '../../../models/index.js';
import { createDirectoryRecord, LANES, updateDirectoryRecord } from '../../commands/directory-writer.js';
import { visibleFields } from '../field-filter.js';
import { authorizeInStore } from '../store-scope.js';
import { resourceRoutes } from '../resource-routes.js';
import type { RequestContext } from '../state.js';
import { presentLane } from './presenter.js';
import { createLaneBody, laneSchema, listLanesQuery, updateLaneBody } from './schema.js';

export const laneRoutes = resourceRoutes({
  names: { operation: 'Lane', path: 'lanes', one: 'lane', many: 'lanes', label: { one: 'checkout lane', many: 'checkout lanes' }, tag: 'Lanes' },
  subject: 'Lane', idKind: 'lane', model: Lane,
  schemas: { item: laneSchema, create: createLaneBody, update: updateLaneBody, list: listLanesQuery },
  present: (ctx: RequestContext, row: Lane) => visibleFields(ctx, 'Lane', row, presentLane(row)),
  filter: (rows, query) => {
    if (query.storeId) void rows.where('lanes.store_id', query.storeId);
  },
  authorizeCreate: (ctx, body) => authorizeInStore(ctx, 'Lane', body.storeId),
  create: (ctx, body) => createDirectoryRecord(ctx, LANES, body),
  update: (ctx, row, body) => updateDirectoryRecord(ctx, LANES, row, body),
});
