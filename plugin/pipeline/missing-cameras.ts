import type { Logger } from 'pino';
import { Backoff } from '../capture/backoff.js';
import type { PluginConfig } from '../config/index.js';
import { resolveDiscovered, type MissingCamera, type ResolvedCamera } from './camera-resolver.js';

/** How a missing camera shows in health: offline, since when, how often it was looked for, and why it is missing. */
export interface MissingCameraStatus {
  readonly cameraId: string;
  readonly endpoint: string;
  readonly state: 'offline';
  readonly since: string;
  readonly attempts: number;
  readonly reason: string;
}

export interface MissingCameraWatchOptions {
  readonly discovery: NonNullable<PluginConfig['discovery']>;
  readonly missing: readonly MissingCamera[];
  readonly logger: Logger;
  /** Called once per camera when it appears; the caller starts it. */
  readonly onFound: (camera: ResolvedCamera) => Promise<void>;
  /** Called once per missing camera at start(), so the hub hears it is offline (a camera_health event). */
  readonly onOffline?: (status: MissingCameraStatus) => void;
  /** Called after each round of looking, with the cameras still missing (tests wait for a failed round). */
  readonly onRound?: (stillMissing: MissingCameraStatus[]) => void;
}

/**
 * Looks again, with backoff, for the configured cameras missing at start (after a power cut the box boots before
 * its PoE cameras), and hands each one over as soon as it answers: no plugin restart.
 */
export class MissingCameraWatch {
  private readonly options: MissingCameraWatchOptions;
  private readonly missing = new Map<string, { camera: MissingCamera; since: string; attempts: number }>();
  private readonly backoff: Backoff;
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private stopped = false;

  constructor(options: MissingCameraWatchOptions) {
    this.options = options;
    const since = new Date().toISOString();
    for (const camera of options.missing) this.missing.set(camera.wanted.id, { camera, since, attempts: 0 });
    this.backoff = new Backoff({ initialMs: options.discovery.retry.initialMs, maxMs: options.discovery.retry.maxMs, factor: 2, jitter: 0.2 });
  }

  start(): void {
    for (const status of this.status()) this.options.onOffline?.(status);
    this.schedule();
  }

  status(): MissingCameraStatus[] {
    return [...this.missing.values()].map(({ camera, since, attempts }) => ({
      cameraId: camera.wanted.id, endpoint: camera.wanted.endpoint, state: 'offline', since, attempts, reason: camera.reason,
    }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.round;
  }

  private schedule(): void {
    if (this.stopped || this.missing.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.round = this.lookAgain().finally(() => this.schedule());
    }, this.backoff.next());
    this.timer.unref();
  }

  private async lookAgain(): Promise<void> {
    const { discovery, logger } = this.options;
    const wanted = [...this.missing.values()].map((m) => m.camera.wanted);
    try {
      const { resolved, missing } = await resolveDiscovered(discovery, wanted, logger);
      for (const m of missing) this.noteAttempt(m);
      for (const camera of resolved) await this.handOver(camera);
    } catch (error) {
      logger.error({ err: error }, 'looking for missing cameras failed; trying again later');
    }
    if (!this.stopped) this.options.onRound?.(this.status());
  }

  private noteAttempt(m: MissingCamera): void {
    const entry = this.missing.get(m.wanted.id);
    if (entry !== undefined) this.missing.set(m.wanted.id, { ...entry, camera: m, attempts: entry.attempts + 1 });
  }

  private async handOver(camera: ResolvedCamera): Promise<void> {
    if (this.stopped || !this.missing.delete(camera.id)) return;
    this.options.logger.info({ camera: camera.id, name: camera.name }, 'missing camera appeared; starting it');
    try {
      await this.options.onFound(camera);
    } catch (error) {
      this.options.logger.error({ err: error, camera: camera.id }, 'a camera that appeared could not be started');
    }
  }
}
