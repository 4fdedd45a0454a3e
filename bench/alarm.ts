// bench:alarm — a rule hit to the bytes of its alarm at a local Milestone XProtect Event Server (analytics events
// over TCP), with 8 cameras running in the plugin, beside a bare TCP POST of the same request from the same process
// in the same run: each alarm is paired with one bare POST of the same bytes started at the moment its rule fired, so
// both wait for the same busy event loop (8 cameras decoding, tracking and evaluating rules).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCameraSim } from '../plugin/camera-sim/index.js';
import { makePersonVideo, sharedModelDir } from '../plugin/pipeline/test-support/person-video.js';
import { measurePluginAlarms, type AlarmSample } from './alarm/plugin-alarms.js';
import { bar, emit, percentile, printTable } from './support/report.js';

const SIZE = { width: 640, height: 360, fps: 5 };
const STREAM = { width: 640, height: 360, fps: 10 };
const CAMERAS = Number(process.env.BENCH_CAMERAS ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const GOAL_P95_MS = 250;
const GOAL_RATIO = 1.5;
/** The bench rule fires on the frame it sees a confirmed person: its own threshold is 0 s. */
const RULE_THRESHOLD_MS = 0;

const log = (message: string): void => void process.stderr.write(`bench:alarm ${message}\n`);
const ms = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(1)} ms` : 'n/a');
const p = (values: number[], q: number): number => percentile([...values].sort((a, b) => a - b), q);

function report(samples: AlarmSample[]): void {
  const hit = samples.map((s) => s.hitToBytes);
  const bare = samples.map((s) => s.barePost);
  const frame = samples.map((s) => s.frameToBytes);
  const [hit50, hit95, bare50, bare95, frame95] = [p(hit, 50), p(hit, 95), p(bare, 50), p(bare, 95), p(frame, 95)];
  const ratio = hit95 / bare95;
  printTable(`rule hit -> alarm bytes at a local Milestone Event Server, ${CAMERAS} cameras in the plugin, ${samples.length} alarms`, [
    ['hit -> bytes p50', ms(hit50), `${ms(bare50)} bare POST`],
    ['hit -> bytes p95', ms(hit95), `${ms(bare95)} bare POST`],
    ['frame -> bytes p95', ms(frame95), `threshold ${RULE_THRESHOLD_MS} ms + 500 ms`],
    ['p95 vs bare', `${ratio.toFixed(2)}x`, `goal <= ${GOAL_RATIO}x and <= ${GOAL_P95_MS} ms`],
  ]);
  const max = Math.max(hit95, bare95, 1);
  process.stdout.write(`plugin p95 ${bar(hit95, max)} ${ms(hit95)}\nbare   p95 ${bar(bare95, max)} ${ms(bare95)}\n\n`);
  emit({
    bench: 'alarm',
    metrics: { alarms: samples.length, hitToAlarmP50Ms: hit50, hitToAlarmP95Ms: hit95, frameToAlarmP95Ms: frame95 },
    baseline: { barePostP50Ms: bare50, barePostP95Ms: bare95, frameToAlarmGoalMs: RULE_THRESHOLD_MS + 500 },
    ratio,
    goal: `hit -> alarm p95 <= ${GOAL_P95_MS} ms and <= ${GOAL_RATIO}x a bare POST of the same body; first frame -> alarm p95 <= the rule's threshold + 0.5 s`,
  });
}

async function main(): Promise<void> {
  const modelDir = sharedModelDir();
  if (modelDir === null) {
    process.stderr.write('bench:alarm needs ../shared/models/nanodet-m (NanoDet-m and person.jpg); it is absent, nothing measured\n');
    process.exitCode = 1;
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'vigil-bench-alarm-'));
  try {
    log('making the scene');
    const video = await makePersonVideo(dir, 'busy.mp4', { ...STREAM, seconds: 8, isPanning: true });
    const sim = await startCameraSim({ discoveryPort: null, source: { kind: 'file', path: video }, sub: STREAM, main: STREAM });
    try {
      log(`${CAMERAS} cameras, ${SECONDS} s of alarms (every 2 s per camera)`);
      const samples = await measurePluginAlarms({
        modelPath: join(modelDir, 'nanodet_m.onnx'), urls: Array.from({ length: CAMERAS }, () => sim.rtspUrl.sub), dir, size: SIZE,
        warmupSeconds: 8, seconds: SECONDS, onProgress: (n, t) => log(`${bar(t, SECONDS, 30)} ${t.toFixed(0)} s, ${n} alarms`),
      });
      report(samples);
    } finally {
      await sim.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
