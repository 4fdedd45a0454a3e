import { AppError } from '../../../contracts/index.js';
import { Camera, Lane, Store } from '../../../models/index.js';
import { whereAllowed } from '../../../policies/index.js';
import { createRecord, updateRecord } from '../../commands/record-writer.js';
import { authorize, orNotFound } from '../authorize.js';
import { commandContext } from '../command-context.js';
import { idParams } from '../common-schemas.js';
import { pageSchema, paginate } from '../pagination.js';
import { refuseHiddenFilters, visibleFields } from '../field-filter.js';
import { defineRoute } from '../route.js';
import type { RequestContext } from '../state.js';
import { presentCamera } from './presenter.js';
import { cameraSchema, createCameraBody, listCamerasQuery, updateCameraBody } from './schema.js';

const tag = 'Cameras';

async function requireLaneInStore(ctx: RequestContext, laneId: string | null | undefined, storeId: string): Promise<void> {
  if (!laneId) return;
  const lane = orNotFound(await Lane.forTenant(ctx.trx, ctx.principal.tenantId).findOne('lanes.id', laneId), `lane ${laneId}`);
  if (lane.storeId !== storeId) throw new AppError('validation_failed', `lane ${laneId} belongs to another store`);
}

export const cameraRoutes = [
  defineRoute({
    method: 'post', path: '/v1/cameras', operationId: 'createCamera', summary: 'Register a camera', tag,
    body: createCameraBody,
    responses: { 201: { description: 'Created', schema: cameraSchema } },
    handler: async ({ body }, ctx) => {
      const store = orNotFound(await Store.forTenant(ctx.trx, ctx.principal.tenantId).findOne('stores.id', body.storeId), `store ${body.storeId}`);
      authorize(ctx, 'create', 'Camera', { storeId: store.id });
      await requireLaneInStore(ctx, body.laneId, store.id);
      const camera = await createRecord(commandContext(ctx), Camera, 'camera', 'Camera', body);
      return { status: 201, body: visibleFields(ctx, 'Camera', camera, presentCamera(camera)) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/cameras', operationId: 'listCameras', summary: 'List cameras', tag,
    query: listCamerasQuery,
    responses: { 200: { description: 'A page of cameras', schema: pageSchema(cameraSchema) } },
    handler: async ({ query }, ctx) => {
      const qb = Camera.forTenant(ctx.trx, ctx.principal.tenantId);
      refuseHiddenFilters(ctx, 'Camera', query, ['storeId', 'laneId']);
      if (query.storeId) void qb.where('cameras.store_id', query.storeId);
      if (query.laneId) void qb.where('cameras.lane_id', query.laneId);
      whereAllowed(qb, ctx.ability, 'read', 'Camera', 'cameras');
      const page = await paginate<Camera>(qb, 'cameras', query);
      return { status: 200, body: { data: page.rows.map((row) => visibleFields(ctx, 'Camera', row, presentCamera(row))), nextCursor: page.nextCursor } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/cameras/:id', operationId: 'getCamera', summary: 'Get a camera', tag,
    params: idParams('camera'),
    responses: { 200: { description: 'The camera', schema: cameraSchema } },
    handler: async ({ params }, ctx) => {
      const camera = orNotFound(await Camera.forTenant(ctx.trx, ctx.principal.tenantId).findOne('cameras.id', params.id), 'camera');
      authorize(ctx, 'read', 'Camera', camera);
      return { status: 200, body: visibleFields(ctx, 'Camera', camera, presentCamera(camera)) };
    },
  }),
  defineRoute({
    method: 'patch', path: '/v1/cameras/:id', operationId: 'updateCamera', summary: 'Update a camera', tag,
    params: idParams('camera'), body: updateCameraBody,
    responses: { 200: { description: 'The updated camera', schema: cameraSchema } },
    handler: async ({ params, body }, ctx) => {
      const camera = orNotFound(await Camera.forTenant(ctx.trx, ctx.principal.tenantId).findOne('cameras.id', params.id).forUpdate(), 'camera');
      authorize(ctx, 'update', 'Camera', camera);
      await requireLaneInStore(ctx, body.laneId, camera.storeId);
      const updated = await updateRecord(commandContext(ctx), Camera, 'Camera', camera, body);
      return { status: 200, body: visibleFields(ctx, 'Camera', updated, presentCamera(updated)) };
    },
  }),
];
