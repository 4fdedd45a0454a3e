import { EventEmitter } from 'node:events';
import { statSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { AppError } from '../../contracts/errors.js';
import { ffmpegPath, redactUrl, sleep, spawnFfmpeg, supervise, type SupervisedProcess } from '../capture/index.js';
import { type ClipRequest, type ClipResult, cutClip } from './clip-cutter.js';
import { recorderArgs } from './recorder-args.js';
import { type RecorderOptions, type RecorderOptionsInput, recorderOptionsSchema } from './recorder-options.js';
import { type Segment, SegmentIndex, parseSegmentList } from './segment-index.js';

export type RecorderState = 'starting' | 'recording' | 'offline' | 'stopped';

export interface RecorderHealth {
  readonly cameraId: string;
  readonly state: RecorderState;
  readonly lastSegmentAt: number | null;
  readonly restarts: number;
  readonly lastError: string | null;
  readonly segments: number;
  readonly bytes: number;
  readonly since: number;
}

export interface RecorderEvents {
  health: [RecorderHealth];
  segment: [Segment];
}

const POLL_MS = 250;
/** Every this many polls, files no run will list (left by a killed ffmpeg) are swept. */
const SWEEP_EVERY = 16;

/**
 * The recording ring buffer of one camera: one ffmpeg copying the main stream into short segments, a watchdog
 * restarting it, and pruning that keeps only the configured window (and never more than maxBytes) on disk.
 */
export class SegmentRecorder extends EventEmitter<RecorderEvents> {
  readonly cameraId: string;
  readonly options: RecorderOptions;
  private readonly log: Logger;
  private readonly index: SegmentIndex;
  private readonly pins = new Map<string, number>();
  private controller: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private poller: NodeJS.Timeout | null = null;
  private activeRuns = new Set<string>();
  private state: RecorderState = 'stopped';
  private since = Date.now();
  private restarts = 0;
  private lastError: string | null = null;
  private lastSegmentAt: number | null = null;
  private lastFailureAt = 0;
  private runCounter = 0;
  private polling = false;
  private polls = 0;
  private currentPid: number | undefined;
  private readonly finishing = new Set<Promise<void>>();

  constructor(input: RecorderOptionsInput, logger?: Logger) {
    super();
    const parsed = recorderOptionsSchema.safeParse(input);
    if (!parsed.success) {
      throw new AppError('validation_failed', `invalid recorder options: ${redactUrl(parsed.error.message)}`, { cause: parsed.error });
    }
    this.options = parsed.data;
    this.cameraId = parsed.data.cameraId;
    this.index = new SegmentIndex(parsed.data.dir);
    this.log = (logger ?? pino({ level: 'silent' })).child({ camera: this.cameraId, component: 'recorder' });
  }

  /** Starts recording. Leftovers of an earlier process in `dir` are deleted: their wall-clock times are unknown. */
  async start(): Promise<void> {
    if (this.controller) return;
    await mkdir(this.options.dir, { recursive: true });
    await this.removeLeftovers();
    this.controller = new AbortController();
    this.setState('starting');
    this.poller = setInterval(() => void this.poll(), POLL_MS);
    this.loop = supervise({
      signal: this.controller.signal,
      start: () => this.startRun(),
      stallTimeoutMs: this.options.stallTimeoutMs,
      firstProgressTimeoutMs: this.options.firstSegmentTimeoutMs,
      healthyAfterMs: this.options.healthyAfterMs,
      backoff: this.options.backoff,
      log: this.log,
      onFailure: ({ reason }) => this.failed(reason),
    }).catch((error: unknown) => this.log.error({ err: error }, 'recorder supervisor failed'));
    this.log.info({ url: redactUrl(this.options.url), dir: this.options.dir }, 'recorder started');
  }

  /** Stops ffmpeg (it closes the current segment cleanly) and keeps the recorded segments for pending clips. */
  async stop(): Promise<void> {
    if (!this.controller) return;
    this.controller.abort();
    await this.loop;
    await Promise.all([...this.finishing]);
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
    await this.poll();
    this.controller = null;
    this.setState('stopped');
  }

  /** Stops and deletes every segment. */
  async close(): Promise<void> {
    await this.stop();
    await rm(this.options.dir, { recursive: true, force: true });
  }

  /** Process id of the running recorder ffmpeg, if one runs. */
  get pid(): number | undefined {
    return this.currentPid;
  }

  get isRunning(): boolean {
    return this.controller !== null;
  }

  health(): RecorderHealth {
    return {
      cameraId: this.cameraId,
      state: this.state,
      lastSegmentAt: this.lastSegmentAt,
      restarts: this.restarts,
      lastError: this.lastError,
      segments: this.index.all().length,
      bytes: this.index.bytes(),
      since: this.since,
    };
  }

  segments(): readonly Segment[] {
    return this.index.all();
  }

  covering(from: number, to: number): Segment[] {
    return this.index.covering(from, to);
  }

  /** Resolves true once video up to `until` is on disk, false at `deadline` or when the recorder stops. */
  async waitForRecorded(until: number, deadline: number): Promise<boolean> {
    for (;;) {
      if ((this.index.latestEnd() ?? 0) >= until) return true;
      if (Date.now() >= deadline || !this.controller) return false;
      await sleep(Math.min(POLL_MS, Math.max(1, deadline - Date.now())));
    }
  }

  /** Cuts a clip and a snapshot around `request.at` from this camera's ring buffer (see cutClip). */
  clip(request: ClipRequest): Promise<ClipResult> {
    return cutClip(this, request, this.options.ffmpegPath === undefined ? {} : { ffmpeg: this.options.ffmpegPath });
  }

  /** Keeps segments from being pruned while a clip is cut from them. */
  pin(segments: readonly Segment[]): () => void {
    for (const { path } of segments) this.pins.set(path, (this.pins.get(path) ?? 0) + 1);
    return () => {
      for (const { path } of segments) {
        const count = (this.pins.get(path) ?? 1) - 1;
        if (count <= 0) this.pins.delete(path);
        else this.pins.set(path, count);
      }
    };
  }

  private startRun(): SupervisedProcess {
    this.runCounter += 1;
    const runId = `r${Date.now().toString(36)}${this.runCounter}`;
    this.activeRuns.add(runId);
    let first: number | null = null;
    let last: number | null = null;
    const onSegment = (segment: Segment): void => {
      if (segment.runId !== runId) return;
      first ??= Date.now();
      last = Date.now();
    };
    this.on('segment', onSegment);
    const run = spawnFfmpeg(recorderArgs(this.options, runId), { binary: this.options.ffmpegPath ?? ffmpegPath });
    this.currentPid = run.pid;
    const finished = run.exited.then(async () => {
      if (this.currentPid === run.pid) this.currentPid = undefined;
      // The last segment is listed when ffmpeg exits: read the list once more, then forget the run.
      this.activeRuns.delete(runId);
      await this.readList(runId, true);
      this.off('segment', onSegment);
      this.index.endRun(runId);
      await rm(join(this.options.dir, `${runId}.csv`), { force: true });
    });
    this.finishing.add(finished);
    void finished.finally(() => this.finishing.delete(finished));
    return { run, progress: () => ({ first, last }) };
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      for (const runId of this.activeRuns) await this.readList(runId);
      await this.prune();
      if (++this.polls % SWEEP_EVERY === 0) await this.sweepOrphans();
      this.judge();
    } catch (error) {
      this.log.error({ err: error }, 'recorder bookkeeping failed');
    } finally {
      this.polling = false;
    }
  }

  private async readList(runId: string, final = false): Promise<void> {
    let text: string;
    try {
      text = await readFile(join(this.options.dir, `${runId}.csv`), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    // A poll that raced the run's exit must not ingest after the final read (the run's state is gone by then).
    if (!final && !this.activeRuns.has(runId)) return;
    const added = this.index.ingest(runId, parseSegmentList(text), Date.now(), sizeOf);
    for (const segment of added) {
      this.lastSegmentAt = Date.now();
      this.emit('segment', segment);
    }
  }

  private async prune(): Promise<void> {
    const { windowSeconds, maxBytes } = this.options;
    const removed = this.index.prune(Date.now(), windowSeconds * 1000, maxBytes, new Set(this.pins.keys()));
    for (const segment of removed) await rm(segment.path, { force: true });
  }

  /**
   * A segment ffmpeg was writing when it was SIGKILLed (it ignored SIGTERM) is never listed, so never indexed:
   * delete such files once older than the window, so disk use stays bounded whatever happens to the process.
   */
  private async sweepOrphans(): Promise<void> {
    const indexed = new Set(this.index.all().map((segment) => segment.file));
    const cutoff = Date.now() - this.options.windowSeconds * 1000;
    for (const name of await readdir(this.options.dir)) {
      const run = /^(.+)-\d+\.ts$/.exec(name)?.[1];
      if (!name.endsWith('.ts') || indexed.has(name) || (run !== undefined && this.activeRuns.has(run))) continue;
      const path = join(this.options.dir, name);
      const mtime = (await stat(path).catch(() => null))?.mtimeMs;
      if (mtime !== undefined && mtime < cutoff && !this.pins.has(path)) await rm(path, { force: true });
    }
  }

  private judge(): void {
    if (!this.controller) return;
    const now = Date.now();
    const fresh = this.lastSegmentAt !== null && now - this.lastSegmentAt <= this.options.stallTimeoutMs;
    if (fresh && this.lastSegmentAt! > this.lastFailureAt) this.setState('recording');
    else if (this.state === 'recording' || this.lastFailureAt > 0) this.setState('offline');
  }

  private failed(reason: string): void {
    this.restarts += 1;
    this.lastError = reason;
    this.lastFailureAt = Date.now();
    this.judge();
    this.emit('health', this.health());
  }

  private setState(state: RecorderState): void {
    if (state === this.state) return;
    this.state = state;
    this.since = Date.now();
    this.log.info({ state, restarts: this.restarts, lastError: this.lastError }, 'recorder health');
    this.emit('health', this.health());
  }

  private async removeLeftovers(): Promise<void> {
    for (const name of await readdir(this.options.dir)) {
      if (/\.(ts|csv|tmp)$/.test(name)) await rm(join(this.options.dir, name), { force: true });
    }
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // pruned or never written: the clip cutter reports it as missing
  }
}
