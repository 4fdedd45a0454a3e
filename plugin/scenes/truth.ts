import { z } from 'zod';

export const TRUTH_CLASSES = ['person', 'hand', 'product', 'cart'] as const;
export const truthClassSchema = z.enum(TRUTH_CLASSES);
export type TruthClass = z.infer<typeof truthClassSchema>;

/** One object's box in a frame: the pixels of it that are visible (x2, y2 exclusive), in frame pixels. */
export const truthBoxSchema = z.strictObject({
  cls: truthClassSchema,
  trackId: z.string().min(1),
  x1: z.number().int().min(0),
  y1: z.number().int().min(0),
  x2: z.number().int().min(1),
  y2: z.number().int().min(1),
  /** Visible share of the pixels the object covered (the rest hidden by what was drawn over it). */
  visible: z.number().min(0).max(1),
});
export type TruthBox = z.infer<typeof truthBoxSchema>;

export const keypointSchema = z.strictObject({
  name: z.enum(['wrist', 'palm', 'fingertip']),
  x: z.number(),
  y: z.number(),
  /** Whether the hand's own pixel is on top there. */
  visible: z.boolean(),
});

export const handKeypointsSchema = z.strictObject({
  trackId: z.string().min(1),
  personId: z.string().min(1),
  points: z.array(keypointSchema).length(3),
});
export type HandKeypoints = z.infer<typeof handKeypointsSchema>;

export const frameTruthSchema = z.strictObject({
  index: z.number().int().min(0),
  /** Seconds from the start of the scene. */
  t: z.number().min(0),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  boxes: z.array(truthBoxSchema),
  hands: z.array(handKeypointsSchema),
});
export type FrameTruth = z.infer<typeof frameTruthSchema>;

export const INCIDENT_TYPES = ['scan_avoidance', 'concealment'] as const;

/** An incident a correct system raises, with when it happened (seconds from the start of the scene). */
export const incidentSchema = z.strictObject({
  type: z.enum(INCIDENT_TYPES),
  start: z.number().min(0),
  end: z.number().min(0),
  itemId: z.string().min(1),
  trackId: z.string().min(1).describe('the product concerned'),
});
export type Incident = z.infer<typeof incidentSchema>;
