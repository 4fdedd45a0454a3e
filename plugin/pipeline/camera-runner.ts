import { join } from 'node:path';
import type { Logger } from 'pino';
import type { CameraHealth } from '../capture/index.js';
import { FfmpegFrameSource } from '../capture/index.js';
import type { RecorderHealth } from '../evidence/index.js';
import { SegmentRecorder } from '../evidence/index.js';
import { DeviceAssistedMotionGate, shareDeviceEvents, type DeviceEvent, type DeviceEventLease, type DeviceEventWatch } from '../discovery/index.js';
import type { MotionConfigInput } from '../motion/index.js';
import { RunningAverageMotionGate } from '../motion/index.js';
import type { TrackerConfigInput } from '../tracking/index.js';
import { ByteTracker, ZoneDwellTracker } from '../tracking/index.js';
import type { AppError, Detector } from '../../contracts/index.js';
import type { CameraPipelineParts, ConfiguredRule, PipelineStats } from './camera-pipeline.js';
import { CameraPipeline } from './camera-pipeline.js';
import type { ResolvedCamera } from './camera-resolver.js';
import type { EventSink } from './event-raiser.js';
import { clipDirFor, EventRaiser } from './event-raiser.js';
import { HealthReporter } from './health-reporter.js';
import type { CameraPosFeed } from './pos-fanout.js';

export interface CameraRunnerOptions {
  readonly camera: ResolvedCamera;
  readonly detector: Detector;
  readonly modelName: string;
  readonly rules: readonly ConfiguredRule[];
  /** POS events for the camera's rules; absent when the plugin has no POS configured. */
  readonly pos?: CameraPosFeed | undefined;
  readonly sink: EventSink;
  /** Raise every event as an alarm in the operators' VMS too. */
  /** The hub console's base URL: each alarm links to `{consoleUrl}/console/events/{eventId}` (its incident). */
  readonly consoleUrl?: string;
  readonly raisesAlarms?: boolean;
  readonly dataDir: string;
  readonly analysis: { readonly fps: number; readonly width: number; readonly height: number };
  /** null: no recording ring buffer, events go out without clips (benchmarks of the analysis path). */
  readonly evidence: { readonly preSeconds: number; readonly postSeconds: number; readonly windowSeconds: number; readonly maxBytesPerCamera: number } | null;
  readonly logger: Logger;
  readonly motion?: MotionConfigInput;
  readonly tracker?: TrackerConfigInput;
  readonly onQueued?: ConstructorParameters<typeof EventRaiser>[0]['onQueued'];
  /** Each analysed frame's stage times (`vigil eval`). */
  readonly onFrameAnalysed?: CameraPipelineParts['onFrameAnalysed'];
  /** The hub was told this camera is offline before it ran (missing at start): its recovery is reported. */
  readonly reportedOffline?: boolean;
}

export interface CameraStatus {
  readonly cameraId: string;
  readonly name: string;
  readonly capture: CameraHealth | null;
  readonly recorder: RecorderHealth | null;
  readonly pipeline: Omit<PipelineStats, 'analysisMs'>;
  readonly events: { raised: number; failed: number; pending: number };
  /** The rules in force, by the name shown on incidents; a pilot program's carry its id and mode. */
  readonly rules?: ReadonlyArray<{ readonly name: string; readonly program: string | null; readonly mode: string | null }>;
  /** The camera's own ONVIF events for its video source, when it offers them. */
  readonly deviceEvents?: { readonly subscribed: boolean; readonly motion: boolean | null; readonly tamper: boolean | null; readonly lastError: string | null } | null;
}

/**
 * Everything one camera runs: its decoder, recorder, motion gate, tracker, zones, rules, event raiser and health
 * reporter. Nothing in here is shared with another camera except the detector pool and the outbox, so a bad
 * camera only ever stalls itself.
 */
export class CameraRunner {
  readonly source: FfmpegFrameSource;
  readonly recorder: SegmentRecorder | null;
  readonly pipeline: CameraPipeline;
  readonly raiser: EventRaiser;
  private readonly reporter: HealthReporter;
  /** The device's PullPoint subscription (motion and tamper; shared by the cameras of one device), when it has one. */
  readonly deviceEvents: DeviceEventWatch | null;
  private readonly eventsLease: DeviceEventLease | null;
  private readonly onDeviceEventBound = (event: DeviceEvent): void => this.onDeviceEvent(event);
  private readonly onDeviceFailure: (error: AppError) => void;
  private readonly controller = new AbortController();
  private loop: Promise<void> | null = null;

  /** The rules the config file gave this camera (what runs until the hub has the store's own). */
  get configuredRules(): readonly ConfiguredRule[] {
    return this.options.rules;
  }

  constructor(private readonly options: CameraRunnerOptions) {
    const { camera, analysis, evidence, logger: root } = options;
    const logger = root.child({ camera: camera.id });
    this.source = new FfmpegFrameSource({ cameraId: camera.id, url: camera.analysisUrl, transport: camera.transport, ...analysis, format: 'rgb24' }, root);
    this.recorder = evidence === null ? null : new SegmentRecorder({
      cameraId: camera.id, url: camera.evidenceUrl, transport: camera.transport, dir: join(options.dataDir, 'recordings', camera.id),
      windowSeconds: evidence.windowSeconds, maxBytes: evidence.maxBytesPerCamera,
    }, root);
    this.raiser = new EventRaiser({
      camera, raisesAlarms: options.raisesAlarms ?? false, ...(options.consoleUrl === undefined ? {} : { consoleUrl: options.consoleUrl }), modelName: options.modelName, recorder: this.recorder, clipDir: clipDirFor(options.dataDir, camera.id),
      preMs: (evidence?.preSeconds ?? 0) * 1000, postMs: (evidence?.postSeconds ?? 0) * 1000, windowMs: (evidence?.windowSeconds ?? 0) * 1000, sink: options.sink, logger,
      ...(options.onQueued === undefined ? {} : { onQueued: options.onQueued }),
    });
    this.reporter = new HealthReporter({ camera, append: (event) => options.sink.appendEvent(event), logger, reportedOffline: options.reportedOffline === true });
    this.source.on('health', (health) => this.reporter.observe(health));
    const source = camera.videoSourceToken ?? null;
    this.eventsLease = camera.deviceEvents ? shareDeviceEvents(camera.deviceEvents) : null;
    this.deviceEvents = this.eventsLease?.watch ?? null;
    this.onDeviceFailure = (error) => logger.warn({ err: error }, 'ONVIF events subscription failed');
    // The camera's zones are where motion matters: changes elsewhere (a clock overlay, a street) wake nothing.
    const zones = camera.zones.map((z) => z.polygon);
    const pixelGate = new RunningAverageMotionGate({ zones, ...options.motion });
    this.pipeline = new CameraPipeline({
      cameraId: camera.id, source: this.source, detector: options.detector, logger,
      motion: this.deviceEvents === null ? pixelGate : new DeviceAssistedMotionGate(pixelGate, this.deviceEvents, source),
      tracker: new ByteTracker(options.tracker ?? {}),
      zones: new ZoneDwellTracker(camera.zones),
      rules: options.rules,
      pos: options.pos,
      fps: analysis.fps,
      keepsFramePixels: this.recorder !== null,
      onHit: (hit, label, frame) => this.raiser.raise(hit, label, frame.timestamp, frame),
      ...(options.onFrameAnalysed === undefined ? {} : { onFrameAnalysed: options.onFrameAnalysed }),
    });
  }

  get cameraId(): string {
    return this.options.camera.id;
  }

  get camera(): ResolvedCamera {
    return this.options.camera;
  }

  async start(): Promise<void> {
    await this.recorder?.start();
    this.deviceEvents?.on('event', this.onDeviceEventBound).on('failure', this.onDeviceFailure);
    this.deviceEvents?.start();
    this.loop = this.pipeline.run(this.controller.signal).catch((error: unknown) => {
      this.options.logger.error({ err: error, camera: this.cameraId }, 'camera pipeline ended with an error');
    });
  }

  /** Stops decoding; rule hits already raised keep cutting their clips. */
  async stopCapture(): Promise<void> {
    this.controller.abort();
    this.deviceEvents?.off('event', this.onDeviceEventBound).off('failure', this.onDeviceFailure);
    await this.eventsLease?.release();
    await this.loop;
  }

  /** Waits for in-flight clips and their events, then stops the recorder. */
  async finish(): Promise<void> {
    await this.raiser.settle();
    await this.recorder?.stop();
  }

  status(): CameraStatus {
    const { analysisMs, ...pipeline } = this.pipeline.stats();
    void analysisMs;
    return {
      cameraId: this.cameraId,
      name: this.options.camera.name,
      capture: this.source.health(),
      recorder: this.recorder?.health() ?? null,
      pipeline,
      events: this.raiser.counts(),
      rules: this.pipeline.ruleLabels.map((label) => ({ name: label.name, program: label.program?.id ?? null, mode: label.program?.mode ?? null })),
      deviceEvents: this.deviceEvents === null ? null : {
        subscribed: this.deviceEvents.isSubscribed, ...pick(this.deviceEvents.state(this.options.camera.videoSourceToken ?? null)),
        lastError: this.deviceEvents.lastError?.message ?? null,
      },
    };
  }

  /** Tamper changes on this camera's video source go to health; motion is read by the gate frame by frame. */
  private onDeviceEvent(event: DeviceEvent): void {
    if (event.kind !== 'tamper') return;
    const source = this.options.camera.videoSourceToken ?? null;
    // Another channel's alarm is not this camera's, unless the device names its one source by another token.
    const isMine = event.source === null || source === null || event.source === source || this.deviceEvents?.state(source) === this.deviceEvents?.state(event.source);
    if (!isMine) return;
    // The state a subscription starts with is news only when it is a tamper alarm.
    if (event.operation === 'Initialized' && !event.active) return;
    this.reporter.observeTamper(event.active, event.topic, this.source.health());
  }
}

const pick = (s: { motion: boolean | null; tamper: boolean | null }): { motion: boolean | null; tamper: boolean | null } => ({ motion: s.motion, tamper: s.tamper });
