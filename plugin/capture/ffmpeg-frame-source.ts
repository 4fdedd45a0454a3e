import { EventEmitter } from 'node:events';
import pino, { type Logger } from 'pino';
import { AppError } from '../../contracts/errors.js';
import type { Frame, FrameSource } from '../../contracts/capabilities.js';
import { BufferPool } from './buffer-pool.js';
import { type CameraHealth, HealthTracker } from './camera-health.js';
import { bytesPerPixel, type CaptureOptions, type CaptureOptionsInput, captureOptionsSchema } from './capture-options.js';
import { decoderArgs } from './decoder-args.js';
import { ffmpegPath } from './ffmpeg-binaries.js';
import { FrameAssembler } from './frame-assembler.js';
import { FrameMailbox } from './frame-mailbox.js';
import { spawnFfmpeg } from './ffmpeg-process.js';
import { redactUrl } from './redact.js';
import { type SupervisedProcess, supervise } from './supervisor.js';

export interface FrameSourceEvents {
  health: [CameraHealth];
}

/**
 * One camera decoded by one ffmpeg process into raw frames, as an async generator (newest frame wins).
 *
 * Frame buffers are pooled: a yielded frame's `data` stays valid until the consumer asks for the next frame. A
 * consumer that keeps a frame longer copies it, or transfers its ArrayBuffer (the pool then allocates a new one).
 * A failing camera never throws out of the generator: the watchdog restarts ffmpeg and the `health` event says why.
 */
export class FfmpegFrameSource extends EventEmitter<FrameSourceEvents> implements FrameSource {
  readonly cameraId: string;
  readonly options: CaptureOptions;
  private readonly log: Logger;
  private readonly pool: BufferPool;
  private mailbox: FrameMailbox | null = null;
  private tracker: HealthTracker;
  private running = false;
  private sequence = 0;
  private loggedState: CameraHealth['state'] | null = null;
  private currentPid: number | undefined;

  constructor(input: CaptureOptionsInput, logger?: Logger) {
    super();
    const parsed = captureOptionsSchema.safeParse(input);
    if (!parsed.success) {
      throw new AppError('validation_failed', `invalid capture options: ${redactUrl(parsed.error.message)}`, { cause: parsed.error });
    }
    this.options = parsed.data;
    this.cameraId = parsed.data.cameraId;
    this.log = (logger ?? pino({ level: 'silent' })).child({ camera: this.cameraId });
    const frameSize = this.options.width * this.options.height * bytesPerPixel(this.options.format);
    this.pool = new BufferPool(frameSize, this.options.poolSize);
    this.tracker = this.newTracker();
  }

  /** Process id of the running decoder, if one runs. */
  get pid(): number | undefined {
    return this.currentPid;
  }

  health(): CameraHealth {
    return this.tracker.snapshot();
  }

  /** Frames decoded, delivered to the consumer, dropped (newest wins) and buffers ever allocated. */
  stats(): { decoded: number; delivered: number; dropped: number; allocations: number } {
    const box = this.mailbox;
    return { decoded: this.sequence, delivered: box?.delivered ?? 0, dropped: box?.dropped ?? 0, allocations: this.pool.allocations };
  }

  async *frames(signal?: AbortSignal): AsyncGenerator<Frame> {
    if (this.running) throw new AppError('conflict', `camera ${this.cameraId} is already being captured`);
    this.running = true;
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) controller.abort();
    const mailbox = new FrameMailbox(this.pool);
    this.mailbox = mailbox;
    this.tracker = this.newTracker();
    controller.signal.addEventListener('abort', () => mailbox.close(), { once: true });
    const ticker = setInterval(() => this.tracker.evaluate(), 500);
    const supervising = this.superviseDecoder(controller.signal, mailbox);
    try {
      for (;;) {
        const frame = await mailbox.take();
        if (frame === null) break;
        yield frame;
        this.pool.release(frame.data);
      }
    } finally {
      controller.abort();
      clearInterval(ticker);
      signal?.removeEventListener('abort', onAbort);
      await supervising;
      this.running = false;
      this.log.info({ ...this.stats() }, 'capture stopped');
    }
  }

  private superviseDecoder(signal: AbortSignal, mailbox: FrameMailbox): Promise<void> {
    const { options } = this;
    this.log.info({ url: redactUrl(options.url), transport: options.transport, fps: options.fps }, 'capture starting');
    return supervise({
      signal,
      start: () => this.startDecoder(mailbox),
      stallTimeoutMs: options.stallTimeoutMs,
      firstProgressTimeoutMs: options.firstFrameTimeoutMs,
      healthyAfterMs: options.healthyAfterMs,
      backoff: options.backoff,
      log: this.log,
      stopGraceMs: 1_000,
      onFailure: ({ reason, hadProgress }) => this.tracker.failure(reason, hadProgress),
    }).catch((error: unknown) => {
      // The supervisor itself should never fail; if it does, say so and end the stream rather than crash.
      this.log.error({ err: error }, 'capture supervisor failed');
      mailbox.close();
    });
  }

  private startDecoder(mailbox: FrameMailbox): SupervisedProcess {
    let first: number | null = null;
    let last: number | null = null;
    const { width, height, format } = this.options;
    const assembler = new FrameAssembler(this.pool, (data) => {
      const timestamp = Date.now();
      first ??= timestamp;
      last = timestamp;
      this.sequence += 1;
      this.tracker.frame(timestamp);
      mailbox.put({ cameraId: this.cameraId, width, height, format, data, timestamp, sequence: this.sequence });
    });
    const run = spawnFfmpeg(decoderArgs(this.options), {
      binary: this.options.ffmpegPath ?? ffmpegPath,
      onStdout: (chunk) => assembler.push(chunk),
    });
    this.currentPid = run.pid;
    void run.exited.then(() => {
      assembler.reset();
      if (this.currentPid === run.pid) this.currentPid = undefined;
    });
    this.log.debug({ pid: run.pid }, 'decoder started');
    return { run, progress: () => ({ first, last }) };
  }

  private newTracker(): HealthTracker {
    const { fps, stallTimeoutMs } = this.options;
    const policy = { targetFps: fps, stallTimeoutMs, fpsWindowMs: 5_000, degradedFpsRatio: 0.5, flapThreshold: 2, flapWindowMs: 60_000 };
    return new HealthTracker(
      this.cameraId,
      policy,
      (health) => {
        // Every failure re-reports health (the restart count moves); the log gets one line per state change.
        const level = health.state === this.loggedState ? 'debug' : 'info';
        this.loggedState = health.state;
        this.log[level]({ state: health.state, fps: health.fps, restarts: health.restarts, lastError: health.lastError }, 'camera health');
        this.emit('health', health);
      },
      () => this.mailbox?.dropped ?? 0,
    );
  }
}
