import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { AppError } from '../../contracts/index.js';
import { pumpFrames, SyntheticScene } from '../scenes/index.js';
import { AnnexBSplitter, NAL, nalType, type AccessUnit } from './annexb-splitter.js';
import { renderSize, sourceArgs, type VideoSize, type VideoSource } from './scene.js';

export interface H264FeedOptions {
  readonly ffmpegPath: string;
  readonly size: VideoSize;
  readonly source: VideoSource;
  /** NVR channel number drawn on the picture (see scene.ts); none for a single camera. */
  readonly channel?: number;
  /** Stop the encoder this long after its last reader left (saves CPU with many idle simulated cameras). */
  readonly idleStopMs?: number;
  readonly onLog?: (line: string) => void;
}

export interface ParameterSets {
  readonly sps: Buffer;
  readonly pps: Buffer;
}

type Listener = (au: AccessUnit) => void;

/**
 * One encoder (an ffmpeg child writing H.264 Annex-B on a pipe) shared by every reader of a profile. It starts on
 * first use, restarts if ffmpeg dies while someone is reading, and stops when idle. SPS/PPS and the last keyframe
 * are cached so new readers can be described (SDP) and started at a keyframe.
 */
export class H264Feed {
  private readonly options: H264FeedOptions;
  private child: ChildProcessByStdio<Writable, Readable, Readable> | null = null;
  private scene: SyntheticScene | null = null;
  private readonly listeners = new Set<Listener>();
  private waiters = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private sps: Buffer | null = null;
  private pps: Buffer | null = null;
  private lastKeyframe: AccessUnit | null = null;
  private clock: { anchorMs: number; frames: number } | null = null;

  constructor(options: H264FeedOptions) {
    this.options = options;
  }

  get size(): VideoSize {
    return this.options.size;
  }

  get isRunning(): boolean {
    return this.child !== null;
  }

  /** Receives every access unit from now on; the returned function unsubscribes. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    this.ensureRunning();
    return () => {
      this.listeners.delete(listener);
      this.scheduleIdleStop();
    };
  }

  /** Presentation time of the newest picture while the encoder runs; later pictures are stamped later. */
  get lastPresentationMs(): number | null {
    return this.child && this.clock ? this.clock.anchorMs + this.clock.frames * (1000 / this.options.size.fps) : null;
  }

  /** SPS/PPS seen so far (cached before the keyframe carrying them is dispatched). */
  get cachedParameterSets(): ParameterSets | null {
    return this.sps && this.pps ? { sps: this.sps, pps: this.pps } : null;
  }

  async parameterSets(timeoutMs = 10_000): Promise<ParameterSets> {
    if (this.sps && this.pps) return { sps: this.sps, pps: this.pps };
    await this.waitFor((au) => au.isKeyframe, timeoutMs);
    if (!this.sps || !this.pps) throw new AppError('unavailable', 'encoder produced a keyframe without SPS/PPS');
    return { sps: this.sps, pps: this.pps };
  }

  /** A keyframe no older than `maxAgeMs`, waiting for the next one if needed. */
  async keyframe(maxAgeMs = 1500, timeoutMs = 10_000): Promise<{ au: AccessUnit; sets: ParameterSets }> {
    const cached = this.lastKeyframe;
    const au = cached && Date.now() - cached.wallMs <= maxAgeMs && this.isRunning ? cached : await this.waitFor((a) => a.isKeyframe, timeoutMs);
    return { au, sets: await this.parameterSets(timeoutMs) };
  }

  close(): void {
    this.closed = true;
    this.listeners.clear();
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.stopChild();
  }

  private waitFor(predicate: (au: AccessUnit) => boolean, timeoutMs: number): Promise<AccessUnit> {
    return new Promise((resolve, reject) => {
      this.waiters++;
      const done = (): void => {
        clearTimeout(timer);
        this.listeners.delete(listener);
        this.waiters--;
        this.scheduleIdleStop();
      };
      const listener: Listener = (au) => {
        if (!predicate(au)) return;
        done();
        resolve(au);
      };
      const timer = setTimeout(() => {
        done();
        reject(new AppError('unavailable', `encoder gave no keyframe within ${timeoutMs} ms`));
      }, timeoutMs);
      this.listeners.add(listener);
      this.ensureRunning();
    });
  }

  private ensureRunning(): void {
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    if (this.child || this.closed || this.restartTimer) return;
    this.startChild();
  }

  private scheduleIdleStop(): void {
    if (this.listeners.size > 0 || this.waiters > 0 || this.idleTimer || !this.child) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.listeners.size === 0 && this.waiters === 0) this.stopChild();
    }, this.options.idleStopMs ?? 10_000);
    this.idleTimer.unref();
  }

  private startChild(): void {
    const { size, source, ffmpegPath, channel } = this.options;
    const { input, filter } = sourceArgs(source, size, channel);
    const gop = String(Math.max(1, Math.round(size.fps)));
    const args = ['-hide_banner', '-loglevel', 'error', '-nostdin', ...input, '-an', '-vf', filter,
      '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p',
      '-g', gop, '-keyint_min', gop, '-sc_threshold', '0', '-bf', '0',
      // repeat-headers: SPS/PPS before every IDR, so any keyframe is a valid entry point; aud: frames are delimited.
      // one thread: one slice per picture, and N simulated cameras on a small machine share its cores evenly.
      '-threads', '1', '-x264-params', 'repeat-headers=1:aud=1',
      '-f', 'h264', '-flush_packets', '1', 'pipe:1'];
    // stdin is a pipe for every source: synthetic scenes arrive on it; lavfi and file inputs never read it (-nostdin).
    const child = spawn(ffmpegPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    const pump = source.kind === 'synthetic' ? pumpFrames(this.sceneOf(source), child.stdin, source.originMs) : null;
    child.stdin.on('error', () => {
      // ffmpeg closed its input (it died or was stopped): the exit handler below restarts it if anyone still reads.
    });
    this.clock = null;
    const splitter = new AnnexBSplitter((au) => this.dispatch({ ...au, wallMs: this.stamp(au.wallMs) }));
    child.stdout.on('data', (chunk: Buffer) => splitter.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      for (const line of text.split('\n')) if (line.trim()) this.options.onLog?.(line.trim());
    });
    child.on('error', (error) => this.options.onLog?.(`ffmpeg failed to start: ${error.message}`));
    child.on('exit', (code, signal) => {
      pump?.stop();
      if (this.child !== child) return;
      this.child = null;
      if (this.closed || (this.listeners.size === 0 && this.waiters === 0)) return;
      this.options.onLog?.(`ffmpeg exited (code ${code}, signal ${signal}); restarting in 1 s`);
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        this.ensureRunning();
      }, 1000);
    });
  }

  /** One scene a feed, kept across encoder restarts (rendering is deterministic; its clock restarts with ffmpeg). */
  private sceneOf(source: Extract<VideoSource, { kind: 'synthetic' }>): SyntheticScene {
    if (this.scene === null) {
      const { width, height } = renderSize(this.options.size);
      this.scene = new SyntheticScene({ scene: source.scene, seed: source.seed, width, height, fps: this.options.size.fps, ...(source.script === undefined ? {} : { script: source.script }) });
    }
    return this.scene;
  }

  private stopChild(): void {
    const child = this.child;
    this.child = null;
    this.lastKeyframe = null;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  /**
   * Presentation time of the next picture: wall-clock anchored, advancing by exactly one frame interval, as a camera's
   * encoder clock does. Stamping arrival times instead would carry pipe jitter into the RTP timestamps, and
   * clients that re-time by frame rate then see non-monotonic timestamps. Re-anchors when ffmpeg drifts > 0.5 s.
   */
  private stamp(arrivalMs: number): number {
    const frameMs = 1000 / this.options.size.fps;
    const clock = this.clock;
    if (clock) {
      const nominal = clock.anchorMs + (clock.frames + 1) * frameMs;
      if (Math.abs(arrivalMs - nominal) < 500) {
        clock.frames++;
        return nominal;
      }
    }
    this.clock = { anchorMs: arrivalMs, frames: 0 };
    return arrivalMs;
  }

  private dispatch(au: AccessUnit): void {
    for (const nal of au.nals) {
      const type = nalType(nal);
      if (type === NAL.sps) this.sps = nal;
      else if (type === NAL.pps) this.pps = nal;
    }
    if (au.isKeyframe) this.lastKeyframe = au;
    for (const listener of [...this.listeners]) listener(au);
  }
}
