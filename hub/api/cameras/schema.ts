import { z } from 'zod';
import { idSchema, zoneSchema } from '../../../contracts/index.js';
import { name, timestamp } from '../common-schemas.js';
import { pageQuery } from '../pagination.js';

const noCredentials = (uri: string): boolean => {
  try {
    const url = new URL(uri);
    return url.username === '' && url.password === '';
  } catch {
    return false;
  }
};
const streamUri = z.string().max(2000).refine(noCredentials, { message: 'must be a URL without credentials (keep secrets on the plugin)' });

export const onvifIdentity = z.strictObject({
  manufacturer: z.string().max(200).optional(),
  model: z.string().max(200).optional(),
  firmware: z.string().max(200).optional(),
  serial: z.string().max(200).optional(),
  hardwareId: z.string().max(200).optional(),
  deviceUrl: streamUri.optional(),
});

export const createCameraBody = z.strictObject({
  storeId: idSchema('store'),
  laneId: idSchema('lane').nullable().default(null),
  name,
  onvif: onvifIdentity.default({}),
  streams: z.strictObject({ analysis: streamUri.optional(), evidence: streamUri.optional() }).default({}),
  zones: z.array(zoneSchema).max(32).default([]),
});

export const updateCameraBody = z.strictObject({
  laneId: idSchema('lane').nullable().optional(),
  name: name.optional(),
  onvif: onvifIdentity.optional(),
  streams: z.strictObject({ analysis: streamUri.optional(), evidence: streamUri.optional() }).optional(),
  zones: z.array(zoneSchema).max(32).optional(),
});

export const listCamerasQuery = z.strictObject({ ...pageQuery, storeId: idSchema('store').optional(), laneId: idSchema('lane').optional() });

export const cameraSchema = z.object({
  id: z.string(),
  storeId: z.string(),
  laneId: z.string().nullable(),
  name: z.string(),
  onvif: z.record(z.string(), z.string()),
  streams: z.record(z.string(), z.string()),
  zones: z.array(z.object({ name: z.string(), type: z.string(), polygon: z.array(z.tuple([z.number(), z.number()])) })),
  health: z.record(z.string(), z.unknown()),
  createdAt: timestamp,
  updatedAt: timestamp,
});
