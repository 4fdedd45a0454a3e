import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { PluginConfig } from './config/index.js';
import { HubClient } from './hub-client/index.js';
import type { ResolvedManifest } from './inference/index.js';
import { InferencePool, resolveModelConfig } from './inference/index.js';
import type { MotionConfigInput } from './motion/index.js';
import type { Outbox, OutboxStats } from './outbox/index.js';
import { EventSender, EvidenceUploadSender, VmsAlarmSender, openOutbox } from './outbox/index.js';
import { createVmsAdapter } from '../adapters/vms/index.js';
import type { StoreRulesDocument, VmsAdapter, VmsAdapterHealth } from '../contracts/index.js';
import { startLanePos, type LanePos } from './lane-pos.js';
import type { PosHealth } from './pos/index.js';
import type { CameraStatus, MissingCameraStatus, ResolvedCamera } from './pipeline/index.js';
import { CameraRunner, MissingCameraWatch, StoreRulesSync, buildHealthEvent, missingCameraHealth, programRulesFor, resolveCameraSet, rulesForCamera, rulesFromStoreDocument } from './pipeline/index.js';
import type { TrackerConfigInput } from './tracking/index.js';

export interface PluginOptions {
  readonly logger?: Logger;
  /** Cameras to run instead of resolving the config's (tests and benchmarks that start their own). */
  readonly cameras?: readonly ResolvedCamera[];
  /** Tuning the YAML does not expose (yet): motion gate and tracker settings for every camera. */
  readonly motion?: MotionConfigInput;
  readonly tracker?: TrackerConfigInput;
  /** Without recording: events go out with no clip (analysis-path benchmarks). Default true. */
  readonly isRecording?: boolean;
  readonly onEventQueued?: CameraRunnerHook;
  /** Each analysed frame's stage times, every camera (`vigil eval`). */
  readonly onFrameAnalysed?: ConstructorParameters<typeof CameraRunner>[0]['onFrameAnalysed'];
  /** A camera missing at start appeared and its capture started (tests wait for it). */
  readonly onCameraStarted?: (cameraId: string) => void;
  /** A round of looking for the cameras missing at start ended; those still missing (tests wait for a failed round). */
  readonly onMissingCameraRound?: (stillMissing: MissingCameraStatus[]) => void;
}

type CameraRunnerHook = NonNullable<ConstructorParameters<typeof CameraRunner>[0]['onQueued']>;

export interface RunningPlugin {
  readonly cameras: readonly CameraRunner[];
  readonly outbox: Outbox;
  readonly model: ResolvedManifest;
  status(): { cameras: CameraStatus[]; missingCameras: MissingCameraStatus[]; outbox: OutboxStats; pos: PosHealth | null; vms: VmsAdapterHealth | null; storeRules: Record<string, number> };
  /** Stops in order: capture, in-flight clips and events, recorders, outbox drain, detector. Idempotent. */
  stop(): Promise<{ pending: number }>;
}

/** The detector pool for the configured model: class thresholds of the config override the manifest's. */
async function startDetector(config: PluginConfig): Promise<InferencePool> {
  const m = config.model;
  const { manifest, classes } = await resolveModelConfig({
    decoder: m.decoder,
    ...(m.manifestPath === undefined ? {} : { manifestPath: m.manifestPath }),
    ...(m.scoreThreshold === undefined ? {} : { threshold: m.scoreThreshold }),
  });
  return InferencePool.start({
    modelPath: m.path,
    manifest: { ...manifest, classThresholds: { ...manifest.classThresholds, ...m.classThresholds } },
    classes,
    size: m.workers,
  });
}

async function openQueue(config: PluginConfig, client: HubClient, dataDir: string, logger: Logger, vms: VmsAdapter | null): Promise<Outbox> {
  return openOutbox({
    dir: join(dataDir, 'outbox'),
    maxBytes: config.outbox.maxBytes,
    warnRatio: config.outbox.warnRatio,
    senders: {
      event: new EventSender(client),
      evidence: new EvidenceUploadSender(client, { stateDir: join(dataDir, 'uploads') }),
      ...(vms === null ? {} : { vms: new VmsAlarmSender(vms) }),
    },
    logger: logger.child({ component: 'outbox' }),
  });
}

/**
 * The plugin's composition root: one ordered start (outbox, detector, cameras, then each camera's recorder
 * and pipeline) and the reverse stop that drains the outbox. A step that fails undoes the ones before it.
 */
export async function startPlugin(config: PluginConfig, options: PluginOptions = {}): Promise<RunningPlugin> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  const dataDir = resolve(config.dataDir);
  await mkdir(dataDir, { recursive: true });
  const vms = config.vms === undefined ? null : createVmsAdapter(config.vms);
  const client = new HubClient({ baseUrl: config.hub.url, token: config.hub.token, timeoutMs: config.hub.timeoutMs });
  const outbox = await openQueue(config, client, dataDir, logger, vms);
  const undo: Array<() => Promise<unknown>> = [() => outbox.close()];
  try {
    const pos = config.pos === undefined ? null : await startLanePos(config.pos, logger);
    if (pos !== null) undo.unshift(() => pos.stop());
    const detector = await startDetector(config);
    undo.unshift(() => detector.close());
    logger.info({ model: detector.manifest.name, workers: detector.size, input: `${detector.manifest.input.width}x${detector.manifest.input.height}` }, 'detector ready');
    const { cameras, missing } = options.cameras === undefined ? await resolveCameraSet(config, logger) : { cameras: options.cameras, missing: [] };
    if (cameras.length === 0 && missing.length === 0) logger.error('no camera could be resolved; the plugin idles until restarted with a working configuration');
    const makeRunner = (camera: ResolvedCamera, reportedOffline = false): CameraRunner => new CameraRunner({
      reportedOffline,
      camera, detector, modelName: detector.manifest.name, rules: rulesForCamera(config.rules, camera, config.timezone), sink: outbox, dataDir,
      pos: pos?.feedFor(camera), raisesAlarms: vms !== null, consoleUrl: config.hub.consoleUrl ?? config.hub.url,
      analysis: config.analysis, evidence: options.isRecording === false ? null : config.evidence, logger,
      ...(options.motion === undefined ? {} : { motion: options.motion }),
      ...(options.tracker === undefined ? {} : { tracker: options.tracker }),
      ...(options.onEventQueued === undefined ? {} : { onQueued: options.onEventQueued }),
      ...(options.onFrameAnalysed === undefined ? {} : { onFrameAnalysed: options.onFrameAnalysed }),
    });
    const runners = cameras.map((camera) => makeRunner(camera));
    for (const runner of runners) {
      undo.unshift(async () => {
        await runner.stopCapture();
        await runner.recorder?.stop();
      });
      await runner.start();
    }
    const storeRules = new StoreRulesSync({
      source: client, storeIds: [...new Set([...cameras.map((c) => c.storeId), ...(missing.length > 0 && config.discovery ? [config.discovery.storeId] : [])])], cacheDir: join(dataDir, 'store-rules'),
      pollMs: config.hub.rulesPollSeconds * 1000, logger: logger.child({ component: 'store-rules' }),
      onDocument: (document) => applyStoreRules(document, runners, config.timezone, logger),
    });
    await storeRules.start();
    undo.unshift(() => storeRules.stop());
    // Cameras missing at start are looked for again and started when they appear (shown offline until then).
    const discovery = config.discovery;
    const watch = discovery === undefined || missing.length === 0 ? null : new MissingCameraWatch({
      discovery, missing, logger: logger.child({ component: 'missing-cameras' }),
      // The hub hears of a missing camera as of one gone offline (an outage incident), closed when it streams.
      onOffline: (m) => {
        const wanted = missing.find((c) => c.wanted.id === m.cameraId)?.wanted;
        const event = buildHealthEvent({ id: m.cameraId, storeId: discovery.storeId, laneId: wanted?.laneId }, missingCameraHealth(m.cameraId, m.since, m.reason));
        outbox.appendEvent(event).catch((error: unknown) => logger.error({ err: error, camera: m.cameraId }, 'the missing camera could not be reported to the hub'));
      },
      ...(options.onMissingCameraRound === undefined ? {} : { onRound: options.onMissingCameraRound }),
      onFound: async (camera) => {
        const runner = makeRunner(camera, true);
        await runner.start();
        runners.push(runner);
        options.onCameraStarted?.(camera.id);
      },
    });
    watch?.start();
    undo.unshift(async () => watch?.stop());
    logger.info({ cameras: runners.map((r) => r.cameraId), rules: config.rules.length }, 'plugin started');
    return running(config, { runners, outbox, detector, pos, vms, storeRules, watch }, logger);
  } catch (error) {
    for (const step of undo) await step().catch((cause: unknown) => logger.error({ err: cause }, 'cleanup after a failed start failed'));
    throw error;
  }
}

/**
 * The hub's rule configuration of a store replaces the config file's rules on that store's cameras once the hub
 * has one (version > 0); until then, and while the hub is unreachable with nothing cached, the file's rules run.
 */
function applyStoreRules(document: StoreRulesDocument, runners: readonly CameraRunner[], timezone: string, logger: Logger): void {
  for (const runner of runners) {
    if (runner.camera.storeId !== document.storeId) continue;
    // Until the hub has the store's own rules (version 0), the config file's run; pilot programs run beside either.
    const own = document.version === 0 ? runner.configuredRules : rulesFromStoreDocument(document, runner.camera, timezone, logger);
    runner.pipeline.replaceRules([...own, ...programRulesFor(document, runner.camera, timezone, logger)]);
  }
}

interface RunningParts {
  readonly runners: CameraRunner[];
  readonly outbox: Outbox;
  readonly detector: InferencePool;
  readonly pos: LanePos | null;
  readonly vms: VmsAdapter | null;
  readonly storeRules: StoreRulesSync;
  readonly watch: MissingCameraWatch | null;
}

function running(config: PluginConfig, parts: RunningParts, logger: Logger): RunningPlugin {
  const { runners, outbox, detector, pos, vms, storeRules, watch } = parts;
  let stopping: Promise<{ pending: number }> | null = null;
  const stop = async (): Promise<{ pending: number }> => {
    logger.info('plugin stopping');
    await watch?.stop();
    await storeRules.stop();
    await Promise.all(runners.map((r) => r.stopCapture()));
    await pos?.stop();
    await Promise.all(runners.map((r) => r.finish()));
    const { pending } = await outbox.close({ drainTimeoutMs: config.outbox.drainTimeoutMs });
    await detector.close();
    logger.info({ pending }, pending === 0 ? 'plugin stopped, outbox drained' : 'plugin stopped; records stay queued on disk for the next start');
    return { pending };
  };
  return {
    cameras: runners,
    outbox,
    model: detector.manifest,
    status: () => ({ cameras: runners.map((r) => r.status()), missingCameras: watch?.status() ?? [], outbox: outbox.stats(), pos: pos?.health() ?? null, vms: vms?.health() ?? null, storeRules: storeRules.versions() }),
    stop: () => (stopping ??= stop()),
  };
}
