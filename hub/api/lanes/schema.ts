import { z } from 'zod';
import { idSchema } from '../../../contracts/index.js';
import { name, timestamp } from '../common-schemas.js';
import { pageQuery } from '../pagination.js';

const workstation = z.string().trim().min(1).max(40).describe('POS workstation (register) id of this checkout lane.');

export const createLaneBody = z.strictObject({ storeId: idSchema('store'), name, posWorkstationId: workstation.nullable().default(null) });
export const updateLaneBody = z.strictObject({ name: name.optional(), posWorkstationId: workstation.nullable().optional() });
export const listLanesQuery = z.strictObject({ ...pageQuery, storeId: idSchema('store').optional() });
export const laneSchema = z.object({
  id: z.string(),
  storeId: z.string(),
  name: z.string(),
  posWorkstationId: z.string().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
