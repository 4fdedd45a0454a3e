import type { EvidenceDetection } from './item-spec.js';

/** [x1, y1, x2, y2], normalised to the frame (0..1). */
export type NormalisedBox = readonly [number, number, number, number];

/** One detection of the camera at a moment, as detection events carry them. */
export interface TimedDetection {
  /** Milliseconds since the epoch. */
  at: number;
  label: string;
  box: NormalisedBox;
  trackId?: number | undefined;
}

/** A box to blur from `from` to `to` seconds of the clip (its first frame is 0). */
export interface TimedBox {
  from: number;
  to: number;
  box: NormalisedBox;
}

/** Labels blurred in redacted media: people and faces. */
export const REDACTED_LABELS = new Set(['person', 'face']);
/** How long a box is held before a track's first and after its last detection (people keep moving). */
export const HOLD_SECONDS = 1;
/** Interpolated boxes are cut into steps this long; each step blurs the union of its two end boxes. */
export const STEP_SECONDS = 0.2;
/** Margin around every box, as a share of its width and height (detections are loose), and at the held edges. */
export const MARGIN = 0.15;
export const HOLD_MARGIN = 0.3;
/** Untimed boxes are held past the declared end too, by this much. */
const WHOLE_ITEM_SLACK_SECONDS = 60;

const clamp = (n: number) => Math.min(1, Math.max(0, n));

export function grow(box: NormalisedBox, share: number): NormalisedBox {
  const dx = (box[2] - box[0]) * share + 0.01;
  const dy = (box[3] - box[1]) * share + 0.01;
  return [clamp(box[0] - dx), clamp(box[1] - dy), clamp(box[2] + dx), clamp(box[3] + dy)];
}

const union = (a: NormalisedBox, b: NormalisedBox): NormalisedBox => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];

function lerp(a: NormalisedBox, b: NormalisedBox, f: number): NormalisedBox {
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f, a[3] + (b[3] - a[3]) * f];
}

interface Sample {
  t: number;
  box: NormalisedBox;
}

/**
 * Boxes between two detections of a track: corners move linearly from one to the other, so within a step the
 * box always lies inside the union of the step's end boxes. Blurring that union covers every frame between.
 */
function between(a: Sample, b: Sample): TimedBox[] {
  const steps = Math.max(1, Math.ceil((b.t - a.t) / STEP_SECONDS));
  const out: TimedBox[] = [];
  for (let i = 0; i < steps; i += 1) {
    const from = a.t + ((b.t - a.t) * i) / steps;
    const to = a.t + ((b.t - a.t) * (i + 1)) / steps;
    out.push({ from, to, box: grow(union(lerp(a.box, b.box, i / steps), lerp(a.box, b.box, (i + 1) / steps)), MARGIN) });
  }
  return out;
}

function trackBoxes(samples: Sample[]): TimedBox[] {
  const sorted = [...samples].sort((a, b) => a.t - b.t);
  const first = sorted[0];
  const last = sorted.at(-1);
  if (!first || !last) return [];
  const out: TimedBox[] = [{ from: first.t - HOLD_SECONDS, to: first.t, box: grow(first.box, HOLD_MARGIN) }];
  for (let i = 1; i < sorted.length; i += 1) out.push(...between(sorted[i - 1] as Sample, sorted[i] as Sample));
  out.push({ from: last.t, to: last.t + HOLD_SECONDS, box: grow(last.box, HOLD_MARGIN) });
  return out;
}

export interface PlanInput {
  /** Clip start and end, milliseconds since the epoch (a snapshot has both at its moment). */
  startMs: number;
  endMs: number;
  /** What the camera detected around the clip (the detection events of its camera). */
  detections: TimedDetection[];
  /** The item's own detections (no time: held over the whole item unless their track is followed). */
  itemDetections: EvidenceDetection[];
  /** Tracks the incident is about: never blurred. */
  involvedTracks: ReadonlySet<number>;
}

/**
 * What to blur and when: every person or face not involved in the incident, followed along its track
 * (interpolated between detections, held with a margin before the first and after the last), and untracked
 * detections each held around its moment. Times are seconds from the item's start.
 */
export function redactionPlan(input: PlanInput): TimedBox[] {
  const durationSeconds = Math.max(0, (input.endMs - input.startMs) / 1000);
  const redacted = input.detections.filter((d) => REDACTED_LABELS.has(d.label) && (d.trackId === undefined || !input.involvedTracks.has(d.trackId)));
  const tracks = new Map<string, Sample[]>();
  redacted.forEach((d, i) => {
    const key = d.trackId === undefined ? `untracked-${i}` : `${d.label}-${d.trackId}`;
    tracks.set(key, [...(tracks.get(key) ?? []), { t: (d.at - input.startMs) / 1000, box: d.box }]);
  });
  const followed = new Set(redacted.flatMap((d) => (d.trackId === undefined ? [] : [d.trackId])));
  const boxes = [...tracks.values()].flatMap(trackBoxes);
  for (const d of input.itemDetections) {
    const involved = d.involved || (d.trackId !== undefined && input.involvedTracks.has(d.trackId));
    if (!REDACTED_LABELS.has(d.label) || involved || (d.trackId !== undefined && followed.has(d.trackId))) continue;
    boxes.push({ from: 0, to: durationSeconds + WHOLE_ITEM_SLACK_SECONDS, box: grow(d.box, MARGIN) });
  }
  // The end is not cut at the capture span: the media may run a little longer than the times the edge declared.
  return boxes.filter((b) => b.to >= 0 && b.from <= durationSeconds + HOLD_SECONDS).map((b) => ({ ...b, from: Math.max(0, b.from) }));
}
