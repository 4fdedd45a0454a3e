import { z } from 'zod';

/** What a zone of a camera's view is for; rules read zones by type (a lane's scanner, bagging area, exit…). */
export const ZONE_TYPES = ['scanner', 'bagging', 'load', 'exit', 'shelf', 'customer', 'staff', 'high_value'] as const;
export const zoneTypeSchema = z.enum(ZONE_TYPES);
export type ZoneType = z.infer<typeof zoneTypeSchema>;

const unit = z.number().min(0).max(1);

/** One zone of a camera's view, the same at the hub (camera settings) and in the plugin (config, rules). */
export const zoneSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).describe('unique within a camera'),
  type: zoneTypeSchema,
  polygon: z.array(z.tuple([unit, unit])).min(3).max(64).describe('vertices in normalised frame coordinates [x, y], 0..1, in order'),
});
export type Zone = z.infer<typeof zoneSchema>;
