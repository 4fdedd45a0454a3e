import type { Logger } from 'pino';
import type { Detection, Detector, Frame, FrameSource } from '../../contracts/index.js';
import type { MotionGate, NormalisedBox } from '../motion/index.js';
import type { Rule, RuleHit, RuleInput } from '../rules/index.js';
import { DEFAULT_CENTRE_LABELS, type Track, type Tracker, type ZoneDwellTracker, type ZoneTransition } from '../tracking/index.js';
import type { CameraPosFeed } from './pos-fanout.js';
import type { RuleLabel } from './event-builder.js';

/** A rule as configured for a camera: the rule and how its events are labelled. */
export interface ConfiguredRule {
  readonly rule: Rule;
  readonly label: RuleLabel;
}

export interface CameraPipelineParts {
  readonly cameraId: string;
  readonly source: FrameSource;
  readonly motion: MotionGate;
  readonly detector: Detector;
  readonly tracker: Tracker;
  readonly zones: ZoneDwellTracker;
  readonly rules: readonly ConfiguredRule[];
  /** The POS events of the camera's lane (or of every lane, for an exit camera); none when the plugin has no POS. */
  readonly pos?: CameraPosFeed | undefined;
  readonly logger: Logger;
  /** While confirmed tracks live, the detector looks at least this often even when nothing moves (a still person stays tracked). */
  readonly confirmEveryMs?: number;
  /** A gap between frames longer than this is a stream restart: tracker, zones, motion and rules start afresh. */
  readonly restartGapMs?: number;
  /** The decoder's frame rate: a gap the decoder filled with frames (dropped while analysis was busy) is no outage. */
  readonly fps?: number;
  /**
   * Keep the pixels of each analysed frame for `onHit` (a snapshot leaves with the event). The detector takes the
   * frame's buffer, so a detected frame is copied first: one memcpy per detected frame into a reused buffer.
   */
  readonly keepsFramePixels?: boolean;
  /**
   * Called for every rule hit with the frame it fired on; the pipeline does not wait for it. `frame.pixels` (with
   * `keepsFramePixels`) is valid only during the call: copy it to keep it.
   */
  readonly onHit: (hit: RuleHit, label: RuleLabel, frame: HitFrame) => void;
  /** Called after each frame's analysis with the time its stages took (`vigil eval`, benchmarks). */
  readonly onFrameAnalysed?: (timing: FrameTiming) => void;
}

/** How long one frame spent in each analysis stage, in milliseconds (inference is 0 on frames the gate skipped). */
export interface FrameTiming {
  readonly cameraId: string;
  readonly timestamp: number;
  readonly isDetected: boolean;
  readonly motionMs: number;
  readonly inferenceMs: number;
  readonly trackingMs: number;
  readonly rulesMs: number;
}

/** The frame a rule fired on. */
export interface HitFrame {
  readonly timestamp: number;
  readonly width: number;
  readonly height: number;
  readonly format: Frame['format'];
  readonly pixels?: Uint8Array;
}

export interface PipelineStats {
  readonly frames: number;
  /** Frames the motion gate let through to the detector. */
  readonly detected: number;
  readonly hits: number;
  /** Frames whose detection failed (worker died, bad frame): the frame counts as skipped. */
  readonly detectorErrors: number;
  /** Gaps in the stream after which the camera's state was reset. */
  readonly restarts: number;
  /** Milliseconds from a frame's capture to the end of its analysis, most recent 512 frames. */
  readonly analysisMs: readonly number[];
}

const KEEP_SAMPLES = 512;
const DEFAULT_CONFIRM_EVERY_MS = 1_000;
const DEFAULT_RESTART_GAP_MS = 3_000;

/** Things carried across a scanner (hands are not products). */
const PRODUCT_LABELS: ReadonlySet<string> = new Set(DEFAULT_CENTRE_LABELS.filter((label) => label !== 'hand'));

/**
 * One camera's analysis loop: frames -> motion gate -> detector -> tracker -> zones -> rules. Frames the gate
 * skips still reach the tracker (tracks age by time, zone dwell keeps counting); while tracks live the detector
 * still looks now and then, so a person standing still stays tracked. A detector
 * failure costs one frame, never the loop; the frame source itself never throws (its watchdog restarts ffmpeg).
 */
export class CameraPipeline {
  private frames = 0;
  private detected = 0;
  private hits = 0;
  private detectorErrors = 0;
  private readonly analysisMs: number[] = [];
  private rules: readonly ConfiguredRule[];
  private lastFrame: { at: number; sequence: number } | null = null;
  private lastDetectedAt = Number.NEGATIVE_INFINITY;
  private liveTracks: readonly Track[] = [];
  private restarts = 0;
  private keptPixels: Uint8Array | null = null;

  constructor(private readonly parts: CameraPipelineParts) {
    this.rules = parts.rules;
  }

  /** Runs these rules from the next frame on (a new store configuration); the old ones' state is dropped. */
  replaceRules(rules: readonly ConfiguredRule[]): void {
    this.rules = rules;
  }

  get ruleNames(): string[] {
    return this.rules.map((r) => r.label.name);
  }

  get ruleLabels(): RuleLabel[] {
    return this.rules.map((r) => r.label);
  }

  get cameraId(): string {
    return this.parts.cameraId;
  }

  stats(): PipelineStats {
    return { frames: this.frames, detected: this.detected, hits: this.hits, detectorErrors: this.detectorErrors, restarts: this.restarts, analysisMs: [...this.analysisMs] };
  }

  /** Runs until `signal` aborts; resolves when the frame source has shut its decoder down. */
  async run(signal: AbortSignal): Promise<void> {
    for await (const frame of this.parts.source.frames(signal)) {
      if (signal.aborted) break;
      await this.analyse(frame);
    }
  }

  private async analyse(frame: Frame): Promise<void> {
    const { parts } = this;
    this.frames += 1;
    const { width, height, timestamp } = frame;
    this.resetAfterGap(timestamp, frame.sequence);
    const t0 = performance.now();
    const motion = parts.motion.update(frame, this.heldBoxes(width, height));
    const isDetected = motion.hasMotion || this.isConfirmationDue(timestamp);
    const t1 = performance.now();
    let detections: Detection[] = [];
    let pixels = parts.keepsFramePixels === true ? frame.data : undefined;
    if (isDetected) {
      this.detected += 1;
      this.lastDetectedAt = timestamp;
      if (pixels !== undefined) pixels = this.keep(frame.data);
      detections = await this.detect(frame);
    }
    const t2 = performance.now();
    const { tracks, removed } = parts.tracker.update(detections, timestamp, { isDetected });
    this.liveTracks = tracks;
    const transitions = parts.zones.update(tracks, removed, { width, height, timestamp });
    this.noteScannerCrossings(transitions, timestamp);
    const t3 = performance.now();
    const pos = parts.pos?.take() ?? [];
    const input: RuleInput = { at: timestamp, frame: { width, height }, tracks, removed, visits: parts.zones.current(), zones: parts.zones.zoneList, pos };
    for (const { rule, label } of this.rules) {
      for (const hit of rule.evaluate(input)) {
        this.hits += 1;
        parts.onHit(hit, label, { timestamp, width, height, format: frame.format, ...(pixels === undefined ? {} : { pixels }) });
      }
    }
    this.analysisMs.push(Date.now() - timestamp);
    if (this.analysisMs.length > KEEP_SAMPLES) this.analysisMs.shift();
    parts.onFrameAnalysed?.({ cameraId: parts.cameraId, timestamp, isDetected, motionMs: t1 - t0, inferenceMs: t2 - t1, trackingMs: t3 - t2, rulesMs: performance.now() - t3 });
  }

  /** A copy of the frame's pixels in the camera's reused buffer (the detector is about to take the frame's own). */
  private keep(data: Uint8Array): Uint8Array {
    if (this.keptPixels?.byteLength !== data.byteLength) this.keptPixels = new Uint8Array(data.byteLength);
    this.keptPixels.set(data);
    return this.keptPixels;
  }

  /** Confirmed tracks exist and the detector has not looked for a while: look, even though nothing moved. */
  private isConfirmationDue(at: number): boolean {
    const every = this.parts.confirmEveryMs ?? DEFAULT_CONFIRM_EVERY_MS;
    return this.liveTracks.some((t) => t.state === 'confirmed') && at - this.lastDetectedAt >= every;
  }

  /** Where tracked objects stand, normalised: the motion background must not absorb them. */
  private heldBoxes(width: number, height: number): NormalisedBox[] {
    return this.liveTracks.filter((t) => t.state === 'confirmed').map(({ box }) => [box[0] / width, box[1] / height, box[2] / width, box[3] / height]);
  }

  /**
   * A gap with (almost) no frames decoded in it: the stream was down. A gap the decoder kept filling while the
   * analysis was busy (a slow first inference, a loaded box) is not one: those frames were dropped, not missing.
   */
  private isOutage(gapMs: number, decoded: number): boolean {
    if (gapMs <= (this.parts.restartGapMs ?? DEFAULT_RESTART_GAP_MS)) return false;
    const { fps } = this.parts;
    return fps === undefined || decoded < (gapMs / 1000) * fps * 0.5;
  }

  /**
   * After a gap in the frames (the stream dropped and came back) nothing from before it is trusted: a track that
   * survived the outage, a dwell that counted it, a half-seen crossing. Everything starts again from this frame.
   */
  private resetAfterGap(at: number, sequence: number): void {
    const last = this.lastFrame;
    this.lastFrame = { at, sequence };
    if (last === null || !this.isOutage(at - last.at, sequence - last.sequence)) return;
    const gap = at - last.at;
    const { parts } = this;
    const dropped = parts.tracker.reset();
    parts.zones.reset();
    parts.motion.reset();
    for (const { rule } of this.rules) rule.reset?.();
    this.liveTracks = [];
    this.lastDetectedAt = Number.NEGATIVE_INFINITY;
    this.restarts += 1;
    parts.logger.info({ gapMs: gap, droppedTracks: dropped.length }, 'stream resumed after a gap: tracks, zones and rule state reset');
  }

  /** Products entering the scanner zone: the POS clock offset is refined by matching them with sale lines. */
  private noteScannerCrossings(transitions: readonly ZoneTransition[], at: number): void {
    const { pos } = this.parts;
    if (pos === undefined) return;
    for (const { kind, visit } of transitions) {
      if (kind === 'enter' && visit.zoneType === 'scanner' && PRODUCT_LABELS.has(visit.label)) pos.scannerCrossing(at);
    }
  }

  private async detect(frame: Frame): Promise<Detection[]> {
    try {
      // The frame's buffer is transferred to a worker; capture's pool replaces a detached buffer on its own.
      return await this.parts.detector.detect(frame);
    } catch (error) {
      this.detectorErrors += 1;
      if (this.detectorErrors === 1 || this.detectorErrors % 100 === 0) {
        this.parts.logger.error({ err: error, failures: this.detectorErrors }, 'detector failed on a frame; frame skipped');
      }
      return [];
    }
  }
}
