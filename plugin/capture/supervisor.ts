import type { Logger } from 'pino';
import { Backoff, type BackoffOptions } from './backoff.js';
import type { FfmpegExit, FfmpegRun } from './ffmpeg-process.js';

export interface SupervisedProcess {
  readonly run: FfmpegRun;
  /** Wall-clock of the first and the latest sign of progress (a frame, a finished segment) of this run. */
  readonly progress: () => { first: number | null; last: number | null };
}

export interface RunFailure {
  readonly reason: string;
  readonly hadProgress: boolean;
}

export interface SupervisorOptions {
  readonly start: () => SupervisedProcess;
  readonly signal: AbortSignal;
  readonly stallTimeoutMs: number;
  /** How long a new process may take to show progress (connect, probe, first keyframe). */
  readonly firstProgressTimeoutMs: number;
  /** A run that made progress for this long counts as healthy and resets the backoff. */
  readonly healthyAfterMs: number;
  readonly backoff: BackoffOptions;
  readonly onFailure: (failure: RunFailure) => void;
  readonly log: Logger;
  readonly stopGraceMs?: number;
}

const POLL_MS = 250;

/**
 * The watchdog: keeps one ffmpeg running until the signal aborts. A process that exits, or shows no progress for
 * the stall timeout, is stopped and started again after an exponential, jittered, bounded backoff.
 */
export async function supervise(options: SupervisorOptions): Promise<void> {
  const backoff = new Backoff(options.backoff);
  let lastReason: string | null = null;
  while (!options.signal.aborted) {
    const proc = options.start();
    const outcome = await watch(proc, options);
    const exit = await proc.run.stop(options.stopGraceMs);
    if (options.signal.aborted) return;
    const { first, last } = proc.progress();
    if (first !== null && last !== null && last - first >= options.healthyAfterMs) backoff.reset();
    const reason = describe(outcome, exit, options.stallTimeoutMs, first !== null);
    options.onFailure({ reason, hadProgress: first !== null });
    const delay = backoff.next();
    // One line per change: the first failure of an outage (or a new kind of failure) is a warning, the retries
    // of the same outage are debug lines, so an offline camera does not fill the log.
    const isNews = backoff.attempts === 1 || reason !== lastReason;
    lastReason = reason;
    options.log[isNews ? 'warn' : 'debug']({ reason, retryInMs: delay, attempt: backoff.attempts }, 'ffmpeg failed, restarting');
    await sleep(delay, options.signal);
  }
}

type Outcome = 'exited' | 'stalled' | 'aborted';

function watch(proc: SupervisedProcess, options: SupervisorOptions): Promise<Outcome> {
  const startedAt = Date.now();
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const { last } = proc.progress();
      const idle = Date.now() - (last ?? startedAt);
      if (idle > (last === null ? options.firstProgressTimeoutMs : options.stallTimeoutMs)) settle('stalled');
    }, POLL_MS);
    const onAbort = (): void => settle('aborted');
    options.signal.addEventListener('abort', onAbort, { once: true });
    void proc.run.exited.then(() => settle('exited'));
    function settle(outcome: Outcome): void {
      clearInterval(timer);
      options.signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    }
  });
}

function describe(outcome: Outcome, exit: FfmpegExit, stallTimeoutMs: number, hadProgress: boolean): string {
  const detail = exit.lastError ? `: ${exit.lastError}` : '';
  if (outcome === 'stalled') {
    const what = hadProgress ? `no output for ${stallTimeoutMs / 1000}s` : 'no output since start';
    return `stalled (${what})${detail}`;
  }
  const how = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
  return `ffmpeg ${how}${detail}`;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
