import { z } from 'zod';

/**
 * What a lane's POS says, one event at a time, as the plugin hears it (a journal line over TCP, a POSLog or
 * JSON transaction posted to the plugin). Rules correlate these with the video of the same lane.
 */
export const POS_LANE_EVENT_KINDS = [
  'transaction_start',
  'transaction_end',
  'sale',
  'void',
  'no_sale',
  'drawer_open',
  'refund',
  'tender',
  'price_override',
  'supervisor_override',
] as const;
export const posLaneEventKindSchema = z.enum(POS_LANE_EVENT_KINDS);
export type PosLaneEventKind = z.infer<typeof posLaneEventKindSchema>;

export const posLaneEventSchema = z.strictObject({
  /** The register as the POS names it; the plugin binds it to a lane. */
  workstationId: z.string().trim().min(1).max(40),
  kind: posLaneEventKindSchema,
  /** Epoch ms on the POS clock (the plugin corrects it by the lane's estimated clock offset). */
  posTime: z.number().int().nonnegative(),
  /** The POS transaction's sequence number, when the source names one. */
  sequenceNumber: z.string().max(40).nullable().default(null),
  operatorId: z.string().max(40).nullable().default(null),
  itemId: z.string().max(100).nullable().default(null),
  description: z.string().max(500).nullable().default(null),
  quantity: z.number().finite().nullable().default(null),
  amount: z.number().finite().min(-1e9).max(1e9).nullable().default(null),
  /** The source text (a journal line) or a short summary, for the reviewer. */
  raw: z.string().max(2000).nullable().default(null),
});
export type PosLaneEvent = z.output<typeof posLaneEventSchema>;

/** A POS event after the plugin matched it to a lane and moved it to the camera clock. */
export interface LanePosEvent extends PosLaneEvent {
  readonly laneId: string;
  /** Epoch ms on the plugin's (camera) clock: posTime corrected by the lane's clock offset. */
  readonly at: number;
}
