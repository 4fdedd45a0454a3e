import { z } from 'zod';
import { pageQuery } from '../pagination.js';
import { name, timestamp } from '../common-schemas.js';

export const createRegionBody = z.strictObject({ name });
export const updateRegionBody = z.strictObject({ name: name.optional() });
export const listRegionsQuery = z.strictObject({ ...pageQuery });
export const regionSchema = z.object({ id: z.string(), name: z.string(), createdAt: timestamp, updatedAt: timestamp });
