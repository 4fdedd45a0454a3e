import { z } from 'zod';
import { AppError } from '../../contracts/index.js';
import type { Detection } from '../../contracts/index.js';
import { boxIou, greedyMatch } from './matching.js';
import type { Box, Track, Tracker, TrackerFrameOptions, TrackerUpdate, TrackState } from './track.js';

const unit = z.number().min(0).max(1);

export const trackerConfigSchema = z.strictObject({
  highScore: unit.default(0.5).describe('detections at or above this score take part in the first association pass'),
  lowScore: unit.default(0.1).describe('detections between this and highScore can only extend existing tracks (second pass)'),
  newTrackScore: unit.default(0.6).describe('an unmatched detection starts a track only at or above this score'),
  matchIou: unit.default(0.2).describe('minimum IoU between a predicted track box and a high-score detection'),
  recoveryIou: unit.default(0.5).describe('minimum IoU for the low-score recovery pass'),
  confirmFrames: z.number().int().min(1).max(100).default(3).describe('matched frames before a track is confirmed'),
  maxMissedMs: z.number().int().min(100).max(600_000).default(6_000).describe('time without a match before a track is dropped (by the clock, so an outage with no frames ends every track)'),
  velocitySmoothing: unit.default(0.5).describe('weight of the newest motion in the constant-velocity estimate'),
  classAware: z.boolean().default(true).describe('only match detections of the track’s own label'),
});
export type TrackerConfig = z.output<typeof trackerConfigSchema>;
export type TrackerConfigInput = z.input<typeof trackerConfigSchema>;

class TrackRecord implements Track {
  state: TrackState = 'tentative';
  hits = 1;
  missedFrames = 0;
  scoreSum: number;
  /** Box velocity per millisecond, per coordinate. */
  velocity: [number, number, number, number] | undefined;
  box: Box;
  score: number;
  lastSeenAt: number;
  readonly firstSeenAt: number;
  readonly label: string;
  readonly classId: number;

  constructor(readonly id: number, public lastDetection: Detection, at: number) {
    this.box = detection(lastDetection);
    this.score = lastDetection.score;
    this.scoreSum = lastDetection.score;
    this.label = lastDetection.label;
    this.classId = lastDetection.classId;
    this.firstSeenAt = at;
    this.lastSeenAt = at;
  }

  get meanScore(): number {
    return this.scoreSum / this.hits;
  }

  /** Where the object should be at `at`, moving on at its last velocity. */
  predict(at: number): Box {
    const v = this.velocity;
    const dt = at - this.lastSeenAt;
    if (v === undefined || dt <= 0) return this.box;
    return [this.box[0] + v[0] * dt, this.box[1] + v[1] * dt, this.box[2] + v[2] * dt, this.box[3] + v[3] * dt];
  }

  match(det: Detection, at: number, smoothing: number, confirmFrames: number): void {
    const box = detection(det);
    const dt = at - this.lastSeenAt;
    if (dt > 0) {
      const inst: [number, number, number, number] = [0, 1, 2, 3].map((i) => ((box[i] ?? 0) - (this.box[i] ?? 0)) / dt) as [number, number, number, number];
      const old = this.velocity;
      this.velocity = old === undefined ? inst : (inst.map((v, i) => smoothing * v + (1 - smoothing) * (old[i] ?? 0)) as [number, number, number, number]);
    }
    this.box = box;
    this.lastDetection = det;
    this.score = det.score;
    this.scoreSum += det.score;
    this.hits++;
    this.missedFrames = 0;
    this.lastSeenAt = at;
    if (this.hits >= confirmFrames) this.state = 'confirmed';
  }

  snapshot(at: number): Track {
    const { id, label, classId, state, score, meanScore, hits, missedFrames, firstSeenAt, lastSeenAt, lastDetection } = this;
    return { id, label, classId, state, box: missedFrames > 0 ? this.predict(at) : this.box, score, meanScore, hits, missedFrames, firstSeenAt, lastSeenAt, lastDetection };
  }
}

function detection(d: Detection): Box {
  return [d.box[0], d.box[1], d.box[2], d.box[3]];
}

/**
 * A ByteTrack-style tracker: high-score detections are associated first (IoU against constant-velocity
 * predictions), then low-score detections may only rescue confirmed tracks — the detections a plain tracker
 * throws away when a person is half hidden behind a shelf or another shopper.
 */
export class ByteTracker implements Tracker {
  readonly config: TrackerConfig;
  private tracks: TrackRecord[] = [];
  private nextId = 1;

  constructor(config: TrackerConfigInput = {}) {
    const parsed = trackerConfigSchema.safeParse(config);
    if (!parsed.success) throw new AppError('config_invalid', `tracker: ${z.prettifyError(parsed.error)}`, { status: 400 });
    this.config = parsed.data;
  }

  update(detections: readonly Detection[], timestamp: number, options: TrackerFrameOptions = {}): TrackerUpdate {
    if (options.isDetected === false) return this.age(timestamp);
    const c = this.config;
    const high = detections.filter((d) => d.score >= c.highScore);
    const low = detections.filter((d) => d.score >= c.lowScore && d.score < c.highScore);
    const predicted = new Map(this.tracks.map((t) => [t, t.predict(timestamp)]));
    const matched = new Set<TrackRecord>();

    const unmatchedHigh = this.associate(this.tracks, high, predicted, c.matchIou, timestamp, matched);
    const recoverable = this.tracks.filter((t) => !matched.has(t) && t.state === 'confirmed');
    this.associate(recoverable, low, predicted, c.recoveryIou, timestamp, matched);

    const removed: Track[] = [];
    this.tracks = this.tracks.filter((t) => {
      if (matched.has(t)) return true;
      t.missedFrames++;
      // A tentative track that misses once was likely noise (ByteTrack drops unconfirmed tracks the same way).
      const isGone = t.state === 'tentative' || timestamp - t.lastSeenAt > c.maxMissedMs;
      if (isGone) removed.push(t.snapshot(timestamp));
      return !isGone;
    });
    for (const det of unmatchedHigh) {
      if (det.score < c.newTrackScore) continue;
      const track = new TrackRecord(this.nextId++, det, timestamp);
      if (c.confirmFrames <= 1) track.state = 'confirmed';
      this.tracks.push(track);
    }
    return { tracks: this.tracks.map((t) => t.snapshot(timestamp)), removed };
  }

  /** Forgets every track (a stream restart: nothing seen before it may raise anything after); ids keep counting up. */
  reset(): Track[] {
    const dropped = this.tracks.map((t) => t.snapshot(t.lastSeenAt));
    this.tracks = [];
    return dropped;
  }

  /** A frame the detector did not look at: tracks keep their state and only expire by time. */
  private age(timestamp: number): TrackerUpdate {
    const removed: Track[] = [];
    this.tracks = this.tracks.filter((t) => {
      const isGone = timestamp - t.lastSeenAt > this.config.maxMissedMs;
      if (isGone) removed.push(t.snapshot(timestamp));
      return !isGone;
    });
    return { tracks: this.tracks.map((t) => t.snapshot(timestamp)), removed };
  }

  /** Matches `dets` to `tracks` by IoU; returns the detections left over. */
  private associate(tracks: readonly TrackRecord[], dets: readonly Detection[], predicted: ReadonlyMap<TrackRecord, Box>, minIou: number, at: number, matched: Set<TrackRecord>): Detection[] {
    const candidates = tracks.filter((t) => !matched.has(t));
    const scores = candidates.map((t) =>
      dets.map((d) => (this.config.classAware && d.label !== t.label ? 0 : boxIou(predicted.get(t) ?? t.box, detection(d)))),
    );
    const used = new Set<number>();
    for (const [row, col] of greedyMatch(scores, Math.max(minIou, 1e-6))) {
      const track = candidates[row];
      const det = dets[col];
      if (track === undefined || det === undefined) continue;
      track.match(det, at, this.config.velocitySmoothing, this.config.confirmFrames);
      matched.add(track);
      used.add(col);
    }
    return dets.filter((_, i) => !used.has(i));
  }
}
