import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { newId } from '../../contracts/index.js';
import { FfmpegFrameSource } from '../../plugin/capture/index.js';
import { InferenceEngine, InferencePool, resolveModelConfig } from '../../plugin/inference/index.js';
import { openOutbox } from '../../plugin/outbox/index.js';
import { CameraRunner, buildHitEvent } from '../../plugin/pipeline/index.js';
import type { Rule } from '../../plugin/rules/index.js';
import { percentile } from '../support/report.js';

export interface LatencyFigures {
  /** Frame captured -> analysed -> rule hit -> event fsynced in the outbox, p95 ms (no clip: that waits for its post-roll). */
  readonly frameToOutboxP95: number;
  readonly events: number;
  /** The outbox's own fsynced append of the same events, p95 ms. */
  readonly appendP95: number;
  /** Event-loop delay p99 while frames are inferred in the worker pool, ms. */
  readonly loopLagP99: number;
  /** The same with the session run on the main thread (what the worker pool avoids), ms. */
  readonly mainThreadLagP99: number;
  /** An idle event loop on this machine right now, ms: the floor the OS scheduler sets on a loaded box. */
  readonly idleLagP99: number;
}

const sorted = (values: number[]): number[] => [...values].sort((a, b) => a - b);

/** A bench-only rule that fires on every analysed frame with a confirmed person: one latency sample per frame. */
const everyPersonFrame: Rule = {
  name: 'zone_dwell',
  evaluate: (input) => input.tracks
    .filter((t) => t.state === 'confirmed' && t.missedFrames === 0 && t.label === 'person')
    .slice(0, 1)
    .map((t) => ({ rule: 'zone_dwell', trackId: t.id, zone: 'bench', zoneType: 'customer', label: t.label, since: input.at, at: input.at, confidence: 0.5, severity: 'low' as const, explanation: 'bench', evidence: { from: input.at, to: input.at }, pos: [], attributes: {}, dedupKey: `bench:${input.at}`, detections: [] })),
};

async function idleLag(seconds: number): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  histogram.disable();
  return histogram.percentile(99) / 1e6;
}

async function mainThreadLag(modelPath: string, url: string, size: { width: number; height: number; fps: number }, seconds: number): Promise<number> {
  const { manifest, classes } = await resolveModelConfig({ decoder: 'nanodet' });
  const engine = await InferenceEngine.open(modelPath, manifest, classes);
  const controller = new AbortController();
  const source = new FfmpegFrameSource({ cameraId: 'cam_bench', url, transport: 'tcp', ...size, format: 'rgb24' });
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  const deadline = { at: Number.POSITIVE_INFINITY };
  try {
    for await (const frame of source.frames(controller.signal)) {
      if (deadline.at === Number.POSITIVE_INFINITY) {
        deadline.at = Date.now() + seconds * 1000;
        histogram.enable();
      }
      await engine.infer(frame);
      if (Date.now() > deadline.at) break;
    }
  } finally {
    histogram.disable();
    controller.abort();
    await engine.close();
  }
  return histogram.percentile(99) / 1e6;
}

/** One busy camera through the real pipeline classes into a real outbox, with the detector in a worker. */
export async function measureLatency(modelPath: string, url: string, size: { width: number; height: number; fps: number }, seconds: number): Promise<LatencyFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-bench-edge-'));
  const outbox = await openOutbox({ dir: join(dir, 'outbox') });
  const { manifest, classes } = await resolveModelConfig({ decoder: 'nanodet' });
  const detector = await InferencePool.start({ modelPath, manifest, classes, size: 1 });
  const samples: number[] = [];
  const camera = { id: newId('camera'), storeId: newId('store'), name: 'bench', analysisUrl: url, evidenceUrl: url, transport: 'tcp' as const, zones: [] };
  const runner = new CameraRunner({
    camera, detector, modelName: manifest.name ?? 'nanodet', rules: [{ rule: everyPersonFrame, label: { name: 'bench' } }],
    sink: outbox, dataDir: dir, analysis: size, evidence: null, logger: pino({ level: 'silent' }),
    tracker: { highScore: 0.4, newTrackScore: 0.45 },
    onQueued: (_event, frameTimestamp) => samples.push(Date.now() - frameTimestamp),
  });
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  try {
    await runner.start();
    await new Promise((r) => setTimeout(r, 4_000)); // connect, learn the background, confirm the track
    samples.length = 0;
    histogram.enable();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    histogram.disable();
    await runner.stopCapture();
    await runner.finish();
    const appends: number[] = [];
    for (let i = 0; i < 40; i += 1) {
      const event = buildHitEvent({ hit: { rule: 'zone_dwell', trackId: i, zone: 'bench', zoneType: 'customer', label: 'person', since: Date.now(), at: Date.now(), confidence: 0.5, severity: 'low', explanation: 'bench', evidence: { from: Date.now(), to: Date.now() }, pos: [], attributes: {}, dedupKey: `bench:${i}`, detections: [] }, camera, rule: { name: 'bench' }, modelName: 'nanodet', clip: null });
      const t0 = performance.now();
      await outbox.appendEvent(event);
      appends.push(performance.now() - t0);
    }
    const mainThreadLagP99 = await mainThreadLag(modelPath, url, size, Math.max(3, seconds / 3));
    const idleLagP99 = await idleLag(Math.max(3, seconds / 3));
    return {
      frameToOutboxP95: percentile(sorted(samples), 95),
      events: samples.length,
      appendP95: percentile(sorted(appends), 95),
      loopLagP99: histogram.percentile(99) / 1e6,
      mainThreadLagP99,
      idleLagP99,
    };
  } finally {
    await runner.stopCapture();
    await detector.close();
    await outbox.close();
    await rm(dir, { recursive: true, force: true });
  }
}
