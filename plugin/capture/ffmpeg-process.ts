import { spawn, type ChildProcess } from 'node:child_process';
import { StderrTail } from './stderr-tail.js';

export interface FfmpegExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Last meaningful stderr line (credentials redacted), or the spawn error. */
  readonly lastError: string | null;
}

export interface FfmpegRun {
  readonly pid: number | undefined;
  readonly exited: Promise<FfmpegExit>;
  readonly hasExited: () => boolean;
  /** SIGTERM (ffmpeg then closes its outputs cleanly), SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<FfmpegExit>;
}

export interface SpawnFfmpegOptions {
  readonly binary: string;
  readonly onStdout?: (chunk: Buffer) => void;
  readonly cwd?: string;
}

/** Every ffmpeg we started and that still runs: killed if this Node process exits, so none is orphaned. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

/** Starts one ffmpeg with stdin closed, stdout to `onStdout` (or ignored) and stderr kept as a short tail. */
export function spawnFfmpeg(args: readonly string[], options: SpawnFfmpegOptions): FfmpegRun {
  installExitHook();
  const tail = new StderrTail();
  const child = spawn(options.binary, [...args], {
    stdio: ['ignore', options.onStdout ? 'pipe' : 'ignore', 'pipe'],
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  live.add(child);
  let done = false;
  let spawnError: string | null = null;
  if (options.onStdout) child.stdout?.on('data', options.onStdout);
  child.stderr?.on('data', (chunk: Buffer) => tail.push(chunk));
  const exited = new Promise<FfmpegExit>((resolve) => {
    child.once('error', (error) => {
      spawnError = `cannot start ffmpeg: ${error.message}`;
      // 'close' does not follow an 'error' raised before the process ever ran.
      if (child.pid === undefined) finish(null, null);
    });
    child.once('close', (code, signal) => finish(code, signal));
    function finish(code: number | null, signal: NodeJS.Signals | null): void {
      if (done) return;
      done = true;
      live.delete(child);
      resolve({ code, signal, lastError: spawnError ?? tail.lastLine() });
    }
  });

  async function stop(graceMs = 2_000): Promise<FfmpegExit> {
    if (!done) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
    return exited;
  }

  return { pid: child.pid, exited, hasExited: () => done, stop };
}
