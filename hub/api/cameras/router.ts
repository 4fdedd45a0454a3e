import { Camera } from '../../../models/index.js';
import { createCamera, updateCamera } from '../../commands/directory-writer.js';
import { visibleFields } from '../field-filter.js';
import { authorizeInStore } from '../store-scope.js';
import { resourceRoutes } from '../resource-routes.js';
import { presentCamera } from './presenter.js';
import { cameraSchema, createCameraBody, listCamerasQuery, updateCameraBody } from './schema.js';

export const cameraRoutes = resourceRoutes({
  names: { operation: 'Camera', path: 'cameras', one: 'camera', many: 'cameras', createSummary: 'Register a camera', tag: 'Cameras' },
  subject: 'Camera', idKind: 'camera', model: Camera,
  schemas: { item: cameraSchema, create: createCameraBody, update: updateCameraBody, list: listCamerasQuery },
  present: (ctx, row) => visibleFields(ctx, 'Camera', row, presentCamera(row)),
  filter: (rows, query) => {
    if (query.storeId) void rows.where('cameras.store_id', query.storeId);
    if (query.laneId) void rows.where('cameras.lane_id', query.laneId);
  },
  authorizeCreate: (ctx, body) => authorizeInStore(ctx, 'Camera', body.storeId),
  create: createCamera,
  update: updateCamera,
  // The zone editor saves with If-Match: another change since the page loaded is refused, not overwritten.
  etag: (row) => `"${row.id}.${row.updatedAt.getTime()}"`,
});
