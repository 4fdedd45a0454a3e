import { z } from 'zod';
import { idSchema } from '../../../contracts/index.js';
import { name, timestamp, timezoneSchema } from '../common-schemas.js';
import { pageQuery } from '../pagination.js';

export const storeSettingsSchema = z.strictObject({
  mergeWindowSeconds: z.number().int().min(0).max(3600).optional().describe('Events of one camera and type within this window merge into one open incident (default 30).'),
});

const address = z.strictObject({
  line1: z.string().max(200).optional(),
  line2: z.string().max(200).optional(),
  city: z.string().max(100).optional(),
  region: z.string().max(100).optional(),
  postalCode: z.string().max(20).optional(),
  country: z.string().length(2).optional().describe('ISO 3166-1 alpha-2'),
});

export const createStoreBody = z.strictObject({
  regionId: idSchema('region'),
  name,
  code: z.string().trim().min(1).max(40).describe('Store number as the POS knows it.'),
  timezone: timezoneSchema,
  address: address.default({}),
  settings: storeSettingsSchema.default({}),
});

export const updateStoreBody = z.strictObject({
  regionId: idSchema('region').optional(),
  name: name.optional(),
  timezone: timezoneSchema.optional(),
  address: address.optional(),
  settings: storeSettingsSchema.optional(),
});

export const listStoresQuery = z.strictObject({ ...pageQuery, regionId: idSchema('region').optional() });

export const storeSchema = z.object({
  id: z.string(),
  regionId: z.string(),
  name: z.string(),
  code: z.string(),
  timezone: z.string(),
  address: z.record(z.string(), z.string()),
  settings: z.record(z.string(), z.unknown()),
  createdAt: timestamp,
  updatedAt: timestamp,
});
