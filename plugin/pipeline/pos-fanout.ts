import type { LanePosEvent } from '../../contracts/index.js';

/** What a camera's pipeline reads of the POS: the events that arrived since its last frame. */
export interface CameraPosFeed {
  take(): LanePosEvent[];
  /** A product entered this camera's scanner zone: evidence for the lane's POS clock offset. */
  scannerCrossing(at: number): void;
}

/** Where scanner crossings go to refine a lane's POS clock offset (the plugin's POS hub). */
export interface ScanObserver {
  observeScannerCrossing(laneId: string, at: number): void;
}

/** Beyond this many unread events a camera's queue drops its oldest (a stalled pipeline must not grow without end). */
const MAX_QUEUED = 5_000;

class CameraQueue implements CameraPosFeed {
  private queue: LanePosEvent[] = [];
  dropped = 0;

  constructor(
    readonly laneId: string | undefined,
    readonly isStoreWide: boolean,
    private readonly observer: ScanObserver,
  ) {}

  push(event: LanePosEvent): void {
    this.queue.push(event);
    if (this.queue.length > MAX_QUEUED) {
      this.queue.shift();
      this.dropped += 1;
    }
  }

  take(): LanePosEvent[] {
    const taken = this.queue;
    this.queue = [];
    return taken;
  }

  scannerCrossing(at: number): void {
    if (this.laneId !== undefined) this.observer.observeScannerCrossing(this.laneId, at);
  }
}

/**
 * Hands every POS event to the cameras that reason about it: the cameras of its lane, and store-wide cameras
 * (those watching an exit, where a push-out is judged against every lane's transactions).
 */
export class PosFanout {
  private readonly cameras: CameraQueue[] = [];

  constructor(private readonly observer: ScanObserver) {}

  feedFor(camera: { readonly laneId?: string | undefined; readonly isStoreWide: boolean }): CameraPosFeed {
    const queue = new CameraQueue(camera.laneId, camera.isStoreWide, this.observer);
    this.cameras.push(queue);
    return queue;
  }

  publish(event: LanePosEvent): void {
    for (const camera of this.cameras) if (camera.isStoreWide || camera.laneId === event.laneId) camera.push(event);
  }

  /** Events dropped because a camera did not read them in time (its pipeline stalled). */
  dropped(): number {
    return this.cameras.reduce((sum, c) => sum + c.dropped, 0);
  }
}
