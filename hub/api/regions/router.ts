import { Region } from '../../../models/index.js';
import { createDirectoryRecord, REGIONS, updateDirectoryRecord } from '../../commands/directory-writer.js';
import { resourceRoutes } from '../resource-routes.js';
import { presentRegion } from './presenter.js';
import { createRegionBody, listRegionsQuery, regionSchema, updateRegionBody } from './schema.js';

export const regionRoutes = resourceRoutes({
  names: { operation: 'Region', path: 'regions', one: 'region', many: 'regions', tag: 'Regions' },
  subject: 'Region', idKind: 'region', model: Region,
  schemas: { item: regionSchema, create: createRegionBody, update: updateRegionBody, list: listRegionsQuery },
  present: (_ctx, row: Region) => presentRegion(row),
  create: (ctx, body) => createDirectoryRecord(ctx, REGIONS, body),
  update: (ctx, row, body) => updateDirectoryRecord(ctx, REGIONS, row, body),
});
