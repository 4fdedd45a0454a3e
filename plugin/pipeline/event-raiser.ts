import { join } from 'node:path';
import type { Logger } from 'pino';
import type { DetectionEvent, VmsAlarm } from '../../contracts/index.js';
import { newId } from '../../contracts/index.js';
import { encodeFrameSnapshot, type ClipRequest, type ClipResult, type SnapshotFile, type SnapshotFrame } from '../evidence/index.js';
import type { HitFrame } from './camera-pipeline.js';
import type { RuleHit } from '../rules/index.js';
import type { EventCamera, RuleLabel } from './event-builder.js';
import { buildHitEvent } from './event-builder.js';
import { toVmsAlarm, type AlarmCamera } from './vms-alarm.js';

/** An evidence file to upload to the hub, as the outbox stores it (plugin/outbox `evidenceJobSchema`). */
export interface EvidenceUploadJob {
  readonly filePath: string;
  readonly upload: {
    readonly kind: 'clip' | 'snapshot';
    readonly bytes: number;
    readonly sha256: string;
    readonly cameraId: string;
    readonly eventId: string;
    readonly capturedFrom: string;
    readonly capturedTo: string;
  };
}

/** The durable queue towards the hub (the outbox). Without `appendEvidenceJob` only hashes travel, in the event. */
export interface EventSink {
  appendEvent(event: DetectionEvent): Promise<unknown>;
  appendEvidenceJob?(job: EvidenceUploadJob): Promise<unknown>;
  /** Queues the alarm for the operators' VMS console (the outbox's `vms` stream). */
  appendAlarm?(alarm: VmsAlarm): Promise<unknown>;
}

export interface ClipSource {
  clip(request: ClipRequest): Promise<ClipResult>;
}

export interface EventRaiserOptions {
  readonly camera: EventCamera & AlarmCamera;
  /** Raise each event as an alarm in the VMS too (a VMS adapter is configured). */
  readonly raisesAlarms?: boolean;
  /** The hub console's base URL, for the alarm's link to its incident. */
  readonly consoleUrl?: string;
  readonly modelName: string;
  /** The camera's recording ring buffer; null: events go out without a clip. */
  readonly recorder: ClipSource | null;
  readonly clipDir: string;
  readonly preMs: number;
  readonly postMs: number;
  /** The recording ring buffer's span: a clip reaching back to a hit's evidence window is capped to fit it. */
  readonly windowMs?: number;
  readonly sink: EventSink;
  readonly logger: Logger;
  /** Called once the event is durably queued, with the frame time it came from (for latency figures). */
  readonly onQueued?: (event: DetectionEvent, frameTimestamp: number) => void;
}

/**
 * Turns rule hits into queued events at once, then cuts the clip around the hit (waiting for its post-roll) and
 * queues the clip and snapshot uploads under the event's id. Each hit runs on its own; `settle()` waits
 * for the ones in flight, which is what a stop must do before it drains the outbox.
 */
export class EventRaiser {
  private readonly inFlight = new Set<Promise<void>>();
  private raised = 0;
  private failed = 0;

  constructor(private readonly options: EventRaiserOptions) {}

  get pending(): number {
    return this.inFlight.size;
  }

  counts(): { raised: number; failed: number; pending: number } {
    return { raised: this.raised, failed: this.failed, pending: this.inFlight.size };
  }

  /** `frame` with its pixels: a JPEG of it leaves right after the event (copied now: the pipeline reuses the buffer). */
  raise(hit: RuleHit, rule: RuleLabel, frameTimestamp: number, frame?: HitFrame): void {
    const snapshot = this.options.recorder === null ? undefined : copyForSnapshot(frame);
    const run = this.handle(hit, rule, frameTimestamp, snapshot).catch((error: unknown) => {
      this.failed += 1;
      this.options.logger.error({ err: error, rule: rule.name, trackId: hit.trackId }, 'event could not be queued');
    });
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Alarm first, evidence after: the event is queued the moment the rule fires (the hub opens the incident, the
   * VMS alarm goes out), and the clip and snapshot follow once the post-roll is recorded, uploaded under the
   * event's id so the hub files them with its incident.
   */
  private async handle(hit: RuleHit, rule: RuleLabel, frameTimestamp: number, frame: SnapshotFrame | undefined): Promise<void> {
    const { options } = this;
    const id = newId('event', hit.at);
    const event = buildHitEvent({ id, hit, camera: options.camera, rule, modelName: options.modelName, clip: null, isEvidencePending: options.recorder !== null });
    // The operator's alarm is queued first: it is the one someone acts on within seconds.
    await this.queueAlarm(event, hit, rule);
    await options.sink.appendEvent(event);
    this.raised += 1;
    options.logger.info({ event: event.id, rule: rule.name, zone: hit.zone, trackId: hit.trackId }, 'event queued');
    options.onQueued?.(event, frameTimestamp);
    const snapshot = frame === undefined ? null : await this.snapshot(frame, id);
    if (snapshot !== null) await this.queueUpload('snapshot', snapshot, { from: snapshot.at, to: snapshot.at }, id);
    const { clip } = await this.cut(hit, id);
    if (clip === null) return;
    await this.queueUpload('clip', clip.clip, { from: clip.clip.startedAt, to: clip.clip.endedAt }, id);
    // The clip's own snapshot (main stream) only when the hit's frame could not be encoded.
    if (snapshot === null && clip.snapshot !== null) await this.queueUpload('snapshot', clip.snapshot, { from: clip.snapshot.at, to: clip.snapshot.at }, id);
  }

  /** The hit's frame as a JPEG beside the clips; a failure costs only this picture (the clip's snapshot stands in). */
  private async snapshot(frame: SnapshotFrame, id: string): Promise<SnapshotFile | null> {
    try {
      return await encodeFrameSnapshot(frame, join(this.options.clipDir, `${id}-frame.jpg`));
    } catch (error) {
      this.options.logger.warn({ err: error, event: id }, 'the hit frame could not be encoded; the clip brings the snapshot');
      return null;
    }
  }

  /** The VMS alarm goes out beside the event; failing to queue it never costs the event or its evidence. */
  private async queueAlarm(event: DetectionEvent, hit: RuleHit, rule: RuleLabel): Promise<void> {
    const { options } = this;
    if (options.raisesAlarms !== true || options.sink.appendAlarm === undefined) return;
    // A pilot in shadow mode is reviewed centrally: the store's operators are never disturbed by it.
    if (rule.program?.mode === 'shadow') return;
    try {
      await options.sink.appendAlarm(toVmsAlarm(event, hit, options.camera, rule.name, options.consoleUrl));
    } catch (error) {
      options.logger.error({ err: error, event: event.id }, 'the VMS alarm could not be queued');
    }
  }

  /** A failed clip costs only the evidence: the event has already gone; the log says why. */
  private async cut(hit: RuleHit, id: string): Promise<{ clip: ClipResult | null; error?: string }> {
    const { recorder, clipDir, preMs, postMs, logger } = this.options;
    if (recorder === null) return { clip: null };
    try {
      const clip = await recorder.clip({ at: hit.at, preMs: this.preRollFor(hit, preMs, postMs), postMs, outputDir: clipDir, name: id });
      if (!clip.complete) logger.warn({ event: id, warnings: clip.warnings }, 'clip is incomplete');
      return { clip };
    } catch (error) {
      logger.error({ err: error, event: id }, 'clip could not be cut; the event goes without it');
      return { clip: null, error: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Enough pre-roll to show the hit's whole evidence window (a product's path to bagging), within the ring buffer. */
  private preRollFor(hit: RuleHit, preMs: number, postMs: number): number {
    const wanted = Math.max(preMs, hit.at - hit.evidence.from + preMs);
    const room = this.options.windowMs === undefined ? wanted : Math.max(preMs, this.options.windowMs - postMs);
    return Math.min(wanted, room);
  }

  private async queueUpload(kind: 'clip' | 'snapshot', file: { path: string; bytes: number; sha256: string }, span: { from: number; to: number }, eventId: string): Promise<void> {
    const { sink, camera } = this.options;
    if (sink.appendEvidenceJob === undefined) return;
    const iso = (ms: number): string => new Date(ms).toISOString();
    await sink.appendEvidenceJob({
      filePath: file.path,
      upload: { kind, bytes: file.bytes, sha256: file.sha256, cameraId: camera.id, eventId, capturedFrom: iso(span.from), capturedTo: iso(span.to) },
    });
  }

}

/** The frame's pixels copied out of the pipeline's reused buffer; undefined when the frame came without them. */
function copyForSnapshot(frame: HitFrame | undefined): SnapshotFrame | undefined {
  if (frame?.pixels === undefined) return undefined;
  return { width: frame.width, height: frame.height, format: frame.format, timestamp: frame.timestamp, data: new Uint8Array(frame.pixels) };
}

/** Where one camera's clips are written: they stay until uploaded (the outbox job points at them). */
export function clipDirFor(dataDir: string, cameraId: string): string {
  return join(dataDir, 'clips', cameraId);
}
