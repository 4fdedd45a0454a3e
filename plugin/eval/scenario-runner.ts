import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { MilestoneReceiver } from '../../adapters/vms/milestone-event-receiver.js';
import { AppError, freePort, newId, type DetectionEvent } from '../../contracts/index.js';
import { startPlugin } from '../app.js';
import { startCameraSim } from '../camera-sim/index.js';
import { validatePluginConfig } from '../config/index.js';
import { playJournal, SCENE_CONCEALMENT, SCENE_TRACKER, SyntheticScene, TILL_REGISTER } from '../scenes/index.js';
import type { RaisedAlarm, TruthIncident } from './event-matcher.js';
import { addTiming, emptyTotals, processCpuMs, type StageTotals } from './stage-clock.js';
import { RETAIL_MODEL_DIR } from './model-dir.js';

const MODEL_DIR = RETAIL_MODEL_DIR;
/** The scene holds its first frame this long, so the decoder is up before anything happens. */
const LEAD_MS = 4_000;
/** After the last incident ends, the rules and the VMS get this long before the run stops. */
const TAIL_MS = 3_000;
/** No analysed frame this long after the scene started: the pipeline is broken. */
const FIRST_FRAME_TIMEOUT_MS = 20_000;
const ALARM_WAIT_MS = 5_000;
/** An address where no hub listens: events stay in the outbox, as when the hub is unreachable. */
const OFFLINE_HUB = 'http://127.0.0.1:9';

export interface ScenarioSpec {
  readonly scene: 'checkout' | 'aisle';
  readonly seed: number;
  readonly seconds: number;
  readonly fps: number;
  readonly width: number;
  readonly height: number;
}

export interface ScenarioRun {
  readonly spec: ScenarioSpec;
  readonly originMs: number;
  readonly rules: readonly string[];
  readonly incidents: readonly TruthIncident[];
  readonly alarms: readonly RaisedAlarm[];
  readonly stages: StageTotals;
  readonly model: { readonly name: string };
}


const RULE_OF = { checkout: 'scan_avoidance', aisle: 'concealment' } as const;

function configFor(spec: ScenarioSpec, ids: { camera: string; store: string; lane: string }, urls: { rtsp: string; vmsPort: number; journalPort: number }, dataDir: string, scene: SyntheticScene) {
  const isCheckout = spec.scene === 'checkout';
  return validatePluginConfig({
    hub: { url: OFFLINE_HUB, token: `vgl_eval_${'0'.repeat(16)}` },
    dataDir,
    model: { path: join(MODEL_DIR, 'retail-detector.onnx'), manifestPath: join(MODEL_DIR, 'manifest.json'), decoder: 'yolov8', workers: 1 },
    analysis: { width: spec.width, height: spec.height, fps: spec.fps },
    evidence: { preSeconds: 3, postSeconds: 1, windowSeconds: 30 },
    outbox: { drainTimeoutMs: 0 },
    cameras: [{
      id: ids.camera, storeId: ids.store, ...(isCheckout ? { laneId: ids.lane } : {}), name: `eval ${spec.scene} ${spec.seed}`,
      analysisUrl: urls.rtsp, zones: [...scene.zones], vms: { name: `eval ${spec.scene}` },
    }],
    ...(isCheckout ? {
      pos: {
        sources: [{ type: 'tcp_listen', name: 'eval-journal', host: '127.0.0.1', port: urls.journalPort, grammar: 'ncr-ej', timeZone: 'UTC' }],
        lanes: [{ workstationId: TILL_REGISTER, laneId: ids.lane }],
      },
    } : {}),
    vms: { adapter: 'milestone', host: '127.0.0.1', port: urls.vmsPort, eventMessage: 'Vigil alarm' },
    // The aisle is filmed from above: concealment looks for the torso in the middle of the person's box.
    rules: [{ rule: RULE_OF[spec.scene], cameras: [ids.camera], severity: 'high', ...(isCheckout ? {} : SCENE_CONCEALMENT) }],
  }, {}, 'vigil eval').config;
}

/** The hit's moment and its evidence span (attributes evidenceFrom/evidenceTo; the hit alone when absent). */
function spanOf(event: DetectionEvent): { atMs: number; fromMs: number; toMs: number } {
  const atMs = Date.parse(event.occurredAt);
  const time = (value: unknown): number => (typeof value === 'string' && Number.isFinite(Date.parse(value)) ? Date.parse(value) : atMs);
  return { atMs, fromMs: time(event.attributes.evidenceFrom), toMs: time(event.attributes.evidenceTo) };
}

/** The rule's own wait after its window closed, from the event's `waitedSeconds` attribute (scan_avoidance). */
function ruleWaitOf(event: DetectionEvent): number | null {
  const waited = event.attributes.waitedSeconds;
  return typeof waited === 'number' && Number.isFinite(waited) ? waited * 1000 : null;
}

/** Resolves once `isDone` holds, checking every 100 ms; rejects with `failure()` when it says so. */
async function until(isDone: () => boolean, failure: () => AppError | null): Promise<void> {
  while (!isDone()) {
    const error = failure();
    if (error !== null) throw error;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * One scenario through the real plugin: the scene streamed by the simulated camera over RTSP, decoded by the
 * plugin's ffmpeg capture, the motion gate, the retail detector, the tracker, zones and rules, the lane's journal
 * over TCP into the POS path, clips cut from the recorder, and the VMS alarm sent to a Milestone receiver on
 * localhost. The scene runs in real time on the wall clock from `originMs`.
 */
export async function runScenario(spec: ScenarioSpec, onProgress: (sceneMs: number, totalMs: number) => void = () => undefined): Promise<ScenarioRun> {
  const originMs = Date.now() + LEAD_MS;
  const scene = new SyntheticScene({ scene: spec.scene, seed: spec.seed, width: spec.width, height: spec.height, fps: spec.fps, script: 'incident', startMs: originMs });
  const truth = scene.incidents(spec.seconds);
  const endMs = originMs + Math.max(spec.seconds, ...truth.map((i) => i.end)) * 1000 + TAIL_MS;
  const receiver = new MilestoneReceiver();
  const vmsPort = await receiver.listen();
  const size = { width: spec.width, height: spec.height, fps: spec.fps };
  const sim = await startCameraSim({ discoveryPort: null, name: `eval ${spec.scene} ${spec.seed}`, source: { kind: 'synthetic', scene: spec.scene, seed: spec.seed, originMs, script: 'incident' }, main: size, sub: size });
  const dataDir = await mkdtemp(join(tmpdir(), 'vigil-eval-'));
  const stages = emptyTotals();
  const events: Array<{ event: DetectionEvent; queuedMs: number }> = [];
  const ids = { camera: newId('camera'), store: newId('store'), lane: newId('lane') };
  const stops: Array<() => Promise<unknown>> = [() => rm(dataDir, { recursive: true, force: true }), () => receiver.close(), () => sim.stop()];
  try {
    const journalPort = await freePort();
    const plugin = await startPlugin(configFor(spec, ids, { rtsp: sim.rtspUrl.sub, vmsPort, journalPort }, dataDir, scene), {
      logger: pino({ level: process.env.VIGIL_LOG_LEVEL ?? 'silent' }),
      tracker: SCENE_TRACKER,
      onEventQueued: (event) => void events.push({ event, queuedMs: Date.now() }),
      onFrameAnalysed: (timing) => {
        addTiming(stages, timing);
        onProgress(Math.max(0, timing.timestamp - originMs), endMs - originMs);
      },
    });
    stops.unshift(() => plugin.stop());
    if (spec.scene === 'checkout') {
      const till = playJournal(scene, originMs, journalPort);
      stops.unshift(async () => till.stop());
    }
    await until(() => stages.lastFrameAt >= endMs, () => {
      const quiet = Date.now() - Math.max(originMs, stages.lastFrameAt);
      return quiet > FIRST_FRAME_TIMEOUT_MS ? new AppError('unavailable', `the pipeline analysed no frame of ${spec.scene} seed ${spec.seed} for ${Math.round(quiet / 1000)} s`) : null;
    });
    stages.decodeCpuMs = await processCpuMs(plugin.cameras[0]?.source.pid);
    const arrivals = await Promise.all(events.map(({ event }) => Promise.race([
      receiver.arrival(event.id).then((a) => a.at),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), ALARM_WAIT_MS)),
    ])));
    return {
      spec, originMs, rules: [RULE_OF[spec.scene]],
      incidents: truth.map((i) => ({ type: i.type, startMs: originMs + i.start * 1000, endMs: originMs + i.end * 1000 })),
      alarms: events.map(({ event, queuedMs }, k) => ({ id: event.id, type: event.type, ...spanOf(event), arrivedMs: arrivals[k] ?? null, queuedMs, ruleWaitMs: ruleWaitOf(event) })),
      stages, model: { name: plugin.model.name },
    };
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
  }
}
