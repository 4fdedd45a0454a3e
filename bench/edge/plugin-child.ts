// A whole plugin (startPlugin: detector pool, per-camera decoder + recorder + pipeline, outbox) in its own process,
// so the bench can read its CPU time and memory (with its ffmpeg children) from /proc apart from the simulators.
// Args (JSON): { modelPath, dataDir, cameras: [{ url }], size: { width, height, fps }, workers }.
// Prints `ready` once started, then a status line every second (with the event-loop delay p99 since the last
// SIGUSR2, which starts the measured window); SIGTERM stops it in order.
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { newId } from '../../contracts/index.js';
import { startPlugin } from '../../plugin/app.js';
import { validatePluginConfig } from '../../plugin/config/index.js';
import type { ResolvedCamera } from '../../plugin/pipeline/index.js';
import { WATCHED_AREA } from './motion-share.js';

interface ChildArgs {
  modelPath: string;
  dataDir: string;
  cameras: Array<{ url: string }>;
  size: { width: number; height: number; fps: number };
  workers: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as ChildArgs;
const storeId = newId('store');
const zone = { name: 'floor', type: 'customer' as const, polygon: WATCHED_AREA };
const cameras: ResolvedCamera[] = args.cameras.map((c, i) => ({
  id: newId('camera'), storeId, name: `bench ${i + 1}`, analysisUrl: c.url, evidenceUrl: c.url, transport: 'tcp', zones: [zone],
}));
// The hub is not reachable on purpose: events stay in the outbox, which is what a store with a dead uplink does.
const { config } = validatePluginConfig({
  hub: { url: 'http://127.0.0.1:9', token: 'vgl_benchbenchbenchbench' },
  dataDir: args.dataDir,
  model: { path: args.modelPath, decoder: 'nanodet', workers: args.workers },
  analysis: args.size,
  evidence: { preSeconds: 2, postSeconds: 2, windowSeconds: 10 },
  outbox: { drainTimeoutMs: 0 },
  cameras: [{ id: newId('camera'), storeId, analysisUrl: 'rtsp://127.0.0.1:9/unused', zones: [zone] }],
  rules: [{ rule: 'zone_dwell', zoneType: 'customer', minSeconds: 5 }],
}, {}, 'bench');

const plugin = await startPlugin(config, { logger: pino({ level: 'silent' }), cameras });
/** The main thread's time on a CPU and waiting in a run queue, ns (Linux schedstat). */
function mainThreadSched(): { cpu: number; wait: number; at: number } {
  const [cpu, wait] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ').map(Number);
  return { cpu: cpu ?? 0, wait: wait ?? 0, at: performance.now() };
}

const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
let schedFrom = mainThreadSched();
process.on('SIGUSR2', () => {
  loop.reset();
  schedFrom = mainThreadSched();
});
process.stdout.write('ready\n');
const ticker = setInterval(() => {
  const { cameras: status, outbox } = plugin.status();
  process.stdout.write(`status ${JSON.stringify({
    outboxPending: outbox.pending,
    loopLagP99Ms: loop.percentile(99) / 1e6,
    mainThread: ((now) => ({
      cpuPercent: ((now.cpu - schedFrom.cpu) / 1e6 / (now.at - schedFrom.at)) * 100,
      runQueuePercent: ((now.wait - schedFrom.wait) / 1e6 / (now.at - schedFrom.at)) * 100,
    }))(mainThreadSched()),
    cameras: status.map((c) => ({ state: c.capture?.state, fps: c.capture?.fps ?? 0, dropped: c.capture?.dropped ?? 0, frames: c.pipeline.frames, detected: c.pipeline.detected })),
  })}\n`);
}, 1_000);
process.once('SIGTERM', () => {
  clearInterval(ticker);
  void plugin.stop().finally(() => process.exit(0));
});
