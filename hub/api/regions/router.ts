import { Region } from '../../../models/index.js';
import { whereAllowed } from '../../../policies/index.js';
import { createRecord, updateRecord } from '../../commands/record-writer.js';
import { authorize, authorizeType, orNotFound } from '../authorize.js';
import { commandContext } from '../command-context.js';
import { idParams } from '../common-schemas.js';
import { pageSchema, paginate } from '../pagination.js';
import { defineRoute } from '../route.js';
import { presentRegion } from './presenter.js';
import { createRegionBody, listRegionsQuery, regionSchema, updateRegionBody } from './schema.js';

const tag = 'Regions';

export const regionRoutes = [
  defineRoute({
    method: 'post', path: '/v1/regions', operationId: 'createRegion', summary: 'Create a region', tag,
    body: createRegionBody,
    responses: { 201: { description: 'Created', schema: regionSchema } },
    handler: async ({ body }, ctx) => {
      authorizeType(ctx, 'create', 'Region');
      const region = await createRecord(commandContext(ctx), Region, 'region', 'Region', body);
      return { status: 201, body: presentRegion(region) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/regions', operationId: 'listRegions', summary: 'List regions', tag,
    query: listRegionsQuery,
    responses: { 200: { description: 'A page of regions', schema: pageSchema(regionSchema) } },
    handler: async ({ query }, ctx) => {
      const qb = Region.forTenant(ctx.trx, ctx.principal.tenantId);
      whereAllowed(qb, ctx.ability, 'read', 'Region', 'regions');
      const page = await paginate<Region>(qb, 'regions', query);
      return { status: 200, body: { data: page.rows.map(presentRegion), nextCursor: page.nextCursor } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/regions/:id', operationId: 'getRegion', summary: 'Get a region', tag,
    params: idParams('region'),
    responses: { 200: { description: 'The region', schema: regionSchema } },
    handler: async ({ params }, ctx) => {
      const region = orNotFound(await Region.forTenant(ctx.trx, ctx.principal.tenantId).findOne('regions.id', params.id), 'region');
      authorize(ctx, 'read', 'Region', region);
      return { status: 200, body: presentRegion(region) };
    },
  }),
  defineRoute({
    method: 'patch', path: '/v1/regions/:id', operationId: 'updateRegion', summary: 'Update a region', tag,
    params: idParams('region'), body: updateRegionBody,
    responses: { 200: { description: 'The updated region', schema: regionSchema } },
    handler: async ({ params, body }, ctx) => {
      const region = orNotFound(await Region.forTenant(ctx.trx, ctx.principal.tenantId).findOne('regions.id', params.id).forUpdate(), 'region');
      authorize(ctx, 'update', 'Region', region);
      const updated = await updateRecord(commandContext(ctx), Region, 'Region', region, body);
      return { status: 200, body: presentRegion(updated) };
    },
  }),
];
