import type { Knex } from 'knex';
import { z } from 'zod';
import { eventDetectionSchema } from '../../contracts/index.js';
import { HOLD_SECONDS, redactionPlan, type TimedBox, type TimedDetection } from './redaction-plan.js';
import type { EvidenceItemRow } from './rows.js';

/** What redaction reads of a stored detection event's payload (the event as the plugin sent it). */
const payloadSchema = z.object({
  detections: z.array(eventDetectionSchema).catch([]),
  attributes: z.object({ trackId: z.number().int().nullable().optional() }).passthrough().catch({}),
});

interface EventRow {
  occurred_at: Date;
  incident_id: string | null;
  payload: unknown;
}

/** Detection events are read this far around the item, so a track entering just before it is followed from the start. */
const AROUND_MS = 10_000 + HOLD_SECONDS * 1000;

/**
 * The redaction plan of an item: the tracks its camera's detection events carry around the item's time span
 * (every event of the camera, not only the incident's: a bystander is often in other events' detections),
 * minus the tracks the incident is about (the rule's track of each of its events, and detections the plugin
 * marked involved).
 */
export async function itemRedaction(trx: Knex | Knex.Transaction, item: EvidenceItemRow): Promise<TimedBox[]> {
  const startMs = new Date(item.captured_from).getTime();
  const endMs = new Date(item.captured_to).getTime();
  const rows: EventRow[] = await trx('detection_events')
    .where({ tenant_id: item.tenant_id, camera_id: item.camera_id })
    .whereBetween('occurred_at', [new Date(startMs - AROUND_MS), new Date(endMs + AROUND_MS)])
    .orderBy('occurred_at')
    .limit(5000)
    .select('occurred_at', 'incident_id', 'payload');
  const involvedTracks = new Set<number>(item.metadata.detections.flatMap((d) => (d.involved && d.trackId !== undefined ? [d.trackId] : [])));
  const detections: TimedDetection[] = [];
  for (const row of rows) {
    const payload = payloadSchema.parse(typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload);
    const ruleTrack = payload.attributes.trackId;
    if (item.incident_id !== null && row.incident_id === item.incident_id && typeof ruleTrack === 'number') involvedTracks.add(ruleTrack);
    const at = new Date(row.occurred_at).getTime();
    for (const d of payload.detections) detections.push({ at, label: d.label, box: d.box, trackId: d.trackId });
  }
  return redactionPlan({ startMs, endMs, detections, itemDetections: item.metadata.detections, involvedTracks });
}
