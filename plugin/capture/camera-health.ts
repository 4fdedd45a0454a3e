export type CameraState = 'starting' | 'streaming' | 'degraded' | 'offline';

export interface CameraHealth {
  readonly cameraId: string;
  readonly state: CameraState;
  /** Frames per second decoded over the last few seconds. */
  readonly fps: number;
  readonly targetFps: number;
  readonly lastFrameAt: number | null;
  /** Processes restarted by the watchdog since this source started. */
  readonly restarts: number;
  /** Why the last process failed: ffmpeg's last meaningful stderr line, credentials redacted. */
  readonly lastError: string | null;
  /** Frames dropped because the consumer was slower than the decoder (newest frame wins). */
  readonly dropped: number;
  /** When the current state was entered. */
  readonly since: number;
}

export interface HealthPolicy {
  readonly targetFps: number;
  /** No frame for longer than this: offline. */
  readonly stallTimeoutMs: number;
  /** fps is measured over this window and judged once a stream has run this long. */
  readonly fpsWindowMs: number;
  /** fps below targetFps * this: degraded. */
  readonly degradedFpsRatio: number;
  /** This many streams lost within flapWindowMs: degraded (flapping), even if frames flow now. */
  readonly flapThreshold: number;
  readonly flapWindowMs: number;
}

/**
 * The health state machine of one camera. `starting` until the first frame or the first failure; `offline` when no
 * frame came for the stall timeout or the camera cannot be reached; `degraded` when frames flow below the target
 * rate or the stream keeps dropping; `streaming` otherwise. Failed connection attempts while offline do not count as
 * flapping, so a camera that comes back after an outage goes straight back to `streaming`.
 */
export class HealthTracker {
  private state: CameraState = 'starting';
  private since: number;
  private lastFrameAt: number | null = null;
  private streamStartedAt: number | null = null;
  private readonly frameTimes: number[] = [];
  private readonly streamLosses: number[] = [];
  private restarts = 0;
  private lastError: string | null = null;
  private failedBeforeFirstFrame = false;
  private lastFailureAt: number | null = null;
  /** A process that ended before decoding anything (refused, unauthorised, unreachable, garbage). */
  private lastConnectFailureAt: number | null = null;

  constructor(
    private readonly cameraId: string,
    private readonly policy: HealthPolicy,
    private readonly onChange: (health: CameraHealth) => void,
    private readonly dropped: () => number,
    private readonly now: () => number = Date.now,
  ) {
    this.since = this.now();
  }

  frame(at: number): void {
    if (this.lastFrameAt === null || at - this.lastFrameAt > this.policy.stallTimeoutMs) this.streamStartedAt = at;
    this.lastFrameAt = at;
    this.frameTimes.push(at);
    this.trim(at);
    if (this.state === 'starting' || this.state === 'offline') this.evaluate();
  }

  failure(reason: string, hadFrames: boolean): void {
    this.restarts += 1;
    this.lastError = reason;
    const at = this.now();
    this.lastFailureAt = at;
    if (hadFrames) this.streamLosses.push(at);
    else {
      this.failedBeforeFirstFrame = true;
      this.lastConnectFailureAt = at;
    }
    this.evaluate(true);
  }

  /** Re-judges the state (call periodically: going offline is the absence of events). */
  evaluate(forceEmit = false): void {
    const at = this.now();
    this.trim(at);
    const next = this.judge(at);
    if (next !== this.state) {
      const failureExplains = this.lastFailureAt !== null && this.lastFailureAt >= (this.lastFrameAt ?? 0);
      if (next === 'offline' && !failureExplains) {
        // The watchdog has not reported a failure yet: say what we see until it does.
        this.lastError = `no frame for ${this.policy.stallTimeoutMs / 1000}s`;
      }
      this.state = next;
      this.since = at;
      forceEmit = true;
    }
    if (forceEmit) this.onChange(this.snapshot());
  }

  snapshot(): CameraHealth {
    return {
      cameraId: this.cameraId,
      state: this.state,
      fps: Math.round(this.fps(this.now()) * 100) / 100,
      targetFps: this.policy.targetFps,
      lastFrameAt: this.lastFrameAt,
      restarts: this.restarts,
      lastError: this.lastError,
      dropped: this.dropped(),
      since: this.since,
    };
  }

  private judge(at: number): CameraState {
    const { stallTimeoutMs, fpsWindowMs, targetFps, degradedFpsRatio, flapThreshold } = this.policy;
    const fresh = this.lastFrameAt !== null && at - this.lastFrameAt <= stallTimeoutMs;
    const cannotConnect = this.lastConnectFailureAt !== null && this.lastConnectFailureAt >= (this.lastFrameAt ?? 0);
    if (cannotConnect) return 'offline';
    if (!fresh) {
      const waitingForFirst = this.lastFrameAt === null && !this.failedBeforeFirstFrame;
      return waitingForFirst && at - this.since <= stallTimeoutMs && this.state === 'starting' ? 'starting' : 'offline';
    }
    if (this.streamLosses.length >= flapThreshold) return 'degraded';
    const warm = this.streamStartedAt !== null && at - this.streamStartedAt >= fpsWindowMs;
    if (warm && this.fps(at) < targetFps * degradedFpsRatio) return 'degraded';
    return 'streaming';
  }

  private fps(at: number): number {
    if (this.streamStartedAt === null || this.frameTimes.length === 0) return 0;
    const span = Math.min(this.policy.fpsWindowMs, Math.max(1_000, at - this.streamStartedAt));
    return this.frameTimes.length / (span / 1000);
  }

  private trim(at: number): void {
    while (this.frameTimes.length > 0 && at - (this.frameTimes[0] ?? at) > this.policy.fpsWindowMs) this.frameTimes.shift();
    while (this.streamLosses.length > 0 && at - (this.streamLosses[0] ?? at) > this.policy.flapWindowMs) {
      this.streamLosses.shift();
    }
  }
}
