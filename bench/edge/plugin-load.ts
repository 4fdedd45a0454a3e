import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { spawnAndWait, stopChild } from '../support/children.js';
import { cpuPercent, processTree, rssBytes } from './proc-stats.js';

const CHILD = fileURLToPath(new URL('./plugin-child.ts', import.meta.url));

interface CameraStatus {
  state: string | undefined;
  fps: number;
  dropped: number;
  frames: number;
  detected: number;
}

export interface PluginLoad {
  readonly cameras: number;
  /** The plugin process and its ffmpeg children, % of one core. */
  readonly cpuPercent: number;
  /** Same, as a share of the whole machine (all cores). */
  readonly machinePercent: number;
  /** Resident memory of the plugin process and its ffmpeg children at the end, bytes. */
  readonly rss: number;
  /** Cameras decoding at >= 90 % of the target rate with >= 90 % of decoded frames analysed (none left behind). */
  readonly realTime: number;
  /**
   * Cameras this plugin would run at <= 60 % of the machine if it got the CPU it asks for: the measured CPU per
   * decoded frame, scaled to every camera at its full rate. On a shared box whose scheduler (autogroup) caps this
   * session's share, cameras can fall behind at low CPU; this says what the plugin's own cost allows.
   */
  readonly projectedCamerasAt60: number;
  /** Frames analysed / frames that reached the detector, over the measured window, all cameras. */
  readonly analysed: number;
  readonly detected: number;
  readonly perCamera: CameraStatus[];
  /** Event-loop delay p99 of the plugin process over the measured window, ms. */
  readonly loopLagP99: number;
  /** The plugin's main thread over the window: % of wall time on a CPU, and % waiting in a run queue for one. */
  readonly mainThread: { cpuPercent: number; runQueuePercent: number };
}

/** Starts the plugin child on `urls`, lets it settle, then samples its process tree for `seconds`. */
export async function measurePluginLoad(input: { modelPath: string; dataDir: string; urls: string[]; size: { width: number; height: number; fps: number }; workers: number; warmupSeconds: number; seconds: number; cores: number }): Promise<PluginLoad> {
  const args = { modelPath: input.modelPath, dataDir: input.dataDir, cameras: input.urls.map((url) => ({ url })), size: input.size, workers: input.workers };
  const { child } = await spawnAndWait(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(args)], process.env, (l) => (l === 'ready' ? l : null), 120_000);
  let latest: CameraStatus[] = [];
  let loopLagP99 = Number.NaN;
  let mainThread = { cpuPercent: Number.NaN, runQueuePercent: Number.NaN };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (!line.startsWith('status ')) return;
    const status = JSON.parse(line.slice(7)) as { cameras: CameraStatus[]; loopLagP99Ms: number; mainThread: typeof mainThread };
    latest = status.cameras;
    loopLagP99 = status.loopLagP99Ms;
    mainThread = status.mainThread;
  });
  try {
    await new Promise((r) => setTimeout(r, input.warmupSeconds * 1000));
    const before = latest.map((c) => ({ ...c }));
    const pid = child.pid as number;
    child.kill('SIGUSR2');
    const cpu = await cpuPercent(() => processTree(pid), input.seconds * 1000);
    const rss = rssBytes(processTree(pid));
    await new Promise((r) => setTimeout(r, 1_100)); // one more status line, covering the whole window
    const after = latest;
    const perCamera = after.map((c, i) => {
      const b = before[i];
      return { ...c, frames: c.frames - (b?.frames ?? 0), detected: c.detected - (b?.detected ?? 0), dropped: c.dropped - (b?.dropped ?? 0) };
    });
    const target = input.size.fps * input.seconds;
    const decoded = perCamera.reduce((sum, c) => sum + c.frames + c.dropped, 0);
    const machinePerCamera = decoded === 0 ? Number.NaN : (cpu / input.cores) / (decoded / target);
    const realTime = perCamera.filter((c) => c.frames + c.dropped >= 0.9 * target && c.frames >= 0.9 * (c.frames + c.dropped)).length;
    return {
      cameras: input.urls.length, cpuPercent: cpu, machinePercent: cpu / input.cores, rss, realTime, projectedCamerasAt60: Math.floor(60 / machinePerCamera),
      analysed: perCamera.reduce((s, c) => s + c.frames, 0), detected: perCamera.reduce((s, c) => s + c.detected, 0), perCamera, loopLagP99, mainThread,
    };
  } finally {
    await stopChild(child);
  }
}
