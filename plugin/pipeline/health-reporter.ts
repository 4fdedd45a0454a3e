import type { Logger } from 'pino';
import type { DetectionEvent } from '../../contracts/index.js';
import type { CameraHealth, CameraState } from '../capture/index.js';
import type { EventCamera } from './event-builder.js';
import { buildHealthEvent } from './event-builder.js';

export interface HealthReporterOptions {
  readonly camera: EventCamera;
  readonly append: (event: DetectionEvent) => Promise<unknown>;
  readonly logger: Logger;
  /** At most one offline report per camera in this window, so a flapping camera does not flood the hub. */
  readonly minOfflineIntervalMs?: number;
  /** The hub was already told the camera is offline (missing at start): its first streaming state is reported. */
  readonly reportedOffline?: boolean;
}

/**
 * Reports a camera's health. Every change is logged; going offline, and coming back from offline, also goes to
 * the hub as a `camera_health` event through the outbox (the hub has no other route for camera health).
 */
export class HealthReporter {
  private last: CameraState = 'starting';
  private lastOfflineReportAt = -Infinity;
  private isReportedOffline = false;

  constructor(private readonly options: HealthReporterOptions) {
    this.isReportedOffline = options.reportedOffline === true;
  }

  observe(health: CameraHealth): void {
    const { logger, minOfflineIntervalMs = 60_000 } = this.options;
    const previous = this.last;
    this.last = health.state;
    if (previous === health.state) return;
    const level = health.state === 'offline' ? 'warn' : 'info';
    logger[level]({ state: health.state, previous, fps: health.fps, restarts: health.restarts, lastError: health.lastError }, 'camera health changed');
    if (health.state === 'offline' && health.since - this.lastOfflineReportAt >= minOfflineIntervalMs) {
      this.lastOfflineReportAt = health.since;
      this.isReportedOffline = true;
      this.send(health);
    } else if (health.state === 'streaming' && this.isReportedOffline) {
      this.isReportedOffline = false;
      this.send(health);
    }
  }

  /**
   * The camera's own tamper alarm (ONVIF events: scene change, image too dark or blurred, tamper rule): reported
   * to the hub as a camera_health event, degraded while it lasts, with the topic that said so.
   */
  observeTamper(active: boolean, topic: string, health: CameraHealth | null, at = Date.now()): void {
    const base: CameraHealth = health ?? { cameraId: this.options.camera.id, state: 'starting', fps: 0, targetFps: 0, lastFrameAt: null, restarts: 0, lastError: null, dropped: 0, since: at };
    this.options.logger[active ? 'warn' : 'info']({ topic, tamper: active }, active ? 'the camera reports tampering' : 'the camera no longer reports tampering');
    const state = active ? 'degraded' : base.state === 'starting' ? 'streaming' : base.state;
    this.send({ ...base, state, since: at, lastError: active ? `the camera reports tampering (${topic})` : base.lastError }, { tamper: active, tamperTopic: topic });
  }

  private send(health: CameraHealth, extra: Record<string, string | boolean> = {}): void {
    const event = buildHealthEvent(this.options.camera, health);
    this.options.append({ ...event, attributes: { ...event.attributes, ...extra } }).catch((error: unknown) => {
      this.options.logger.error({ err: error }, 'camera health event could not be queued');
    });
  }
}

/** The camera_health event of a configured camera that could not be found or described (missing at start). */
export function missingCameraHealth(cameraId: string, since: string, reason: string): CameraHealth {
  return { cameraId, state: 'offline', fps: 0, targetFps: 0, lastFrameAt: null, restarts: 0, lastError: `camera missing: ${reason}`, dropped: 0, since: Date.parse(since) };
}
