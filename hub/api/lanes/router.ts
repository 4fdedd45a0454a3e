import { Lane, Store } from '../../../models/index.js';
import { whereAllowed } from '../../../policies/index.js';
import { createRecord, updateRecord } from '../../commands/record-writer.js';
import { authorize, orNotFound } from '../authorize.js';
import { commandContext } from '../command-context.js';
import { idParams } from '../common-schemas.js';
import { pageSchema, paginate } from '../pagination.js';
import { refuseHiddenFilters, visibleFields } from '../field-filter.js';
import { defineRoute } from '../route.js';
import { presentLane } from './presenter.js';
import { createLaneBody, laneSchema, listLanesQuery, updateLaneBody } from './schema.js';

const tag = 'Lanes';

export const laneRoutes = [
  defineRoute({
    method: 'post', path: '/v1/lanes', operationId: 'createLane', summary: 'Create a checkout lane', tag,
    body: createLaneBody,
    responses: { 201: { description: 'Created', schema: laneSchema } },
    handler: async ({ body }, ctx) => {
      const store = orNotFound(await Store.forTenant(ctx.trx, ctx.principal.tenantId).findOne('stores.id', body.storeId), `store ${body.storeId}`);
      authorize(ctx, 'create', 'Lane', { storeId: store.id });
      const lane = await createRecord(commandContext(ctx), Lane, 'lane', 'Lane', body);
      return { status: 201, body: visibleFields(ctx, 'Lane', lane, presentLane(lane)) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/lanes', operationId: 'listLanes', summary: 'List checkout lanes', tag,
    query: listLanesQuery,
    responses: { 200: { description: 'A page of lanes', schema: pageSchema(laneSchema) } },
    handler: async ({ query }, ctx) => {
      const qb = Lane.forTenant(ctx.trx, ctx.principal.tenantId);
      refuseHiddenFilters(ctx, 'Lane', query, ['storeId']);
      if (query.storeId) void qb.where('lanes.store_id', query.storeId);
      whereAllowed(qb, ctx.ability, 'read', 'Lane', 'lanes');
      const page = await paginate<Lane>(qb, 'lanes', query);
      return { status: 200, body: { data: page.rows.map((row) => visibleFields(ctx, 'Lane', row, presentLane(row))), nextCursor: page.nextCursor } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/lanes/:id', operationId: 'getLane', summary: 'Get a checkout lane', tag,
    params: idParams('lane'),
    responses: { 200: { description: 'The lane', schema: laneSchema } },
    handler: async ({ params }, ctx) => {
      const lane = orNotFound(await Lane.forTenant(ctx.trx, ctx.principal.tenantId).findOne('lanes.id', params.id), 'lane');
      authorize(ctx, 'read', 'Lane', lane);
      return { status: 200, body: visibleFields(ctx, 'Lane', lane, presentLane(lane)) };
    },
  }),
  defineRoute({
    method: 'patch', path: '/v1/lanes/:id', operationId: 'updateLane', summary: 'Update a checkout lane', tag,
    params: idParams('lane'), body: updateLaneBody,
    responses: { 200: { description: 'The updated lane', schema: laneSchema } },
    handler: async ({ params, body }, ctx) => {
      const lane = orNotFound(await Lane.forTenant(ctx.trx, ctx.principal.tenantId).findOne('lanes.id', params.id).forUpdate(), 'lane');
      authorize(ctx, 'update', 'Lane', lane);
      const updated = await updateRecord(commandContext(ctx), Lane, 'Lane', lane, body);
      return { status: 200, body: visibleFields(ctx, 'Lane', updated, presentLane(updated)) };
    },
  }),
];
