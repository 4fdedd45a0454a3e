import type { LanePosEvent } from '../../contracts/index.js';
import { ClockOffsetEstimator, type OffsetEstimate } from './clock-offset-estimator.js';
import type { OffsetEstimationConfig } from './pos-config-schema.js';

/** A lane's POS side in health: its register, what arrived, and its clock offset. */
export interface LanePosHealth {
  readonly laneId: string;
  readonly workstationId: string;
  readonly events: number;
  readonly lastEventAt: number | null;
  /** Events waiting for drain(). */
  readonly queued: number;
  /** Events dropped because nobody drained the lane (the oldest go first). */
  readonly dropped: number;
  readonly scannerCrossings: number;
  readonly offset: OffsetEstimate;
}

export interface QueuedEvent {
  readonly seq: number;
  readonly event: LanePosEvent;
}

/** One bound lane: its queue of undrained events and its clock offset estimator. */
export class LaneState {
  readonly estimator: ClockOffsetEstimator;
  private queue: QueuedEvent[] = [];
  private events = 0;
  private dropped = 0;
  private crossings = 0;
  private lastEventAt: number | null = null;

  constructor(readonly laneId: string, readonly workstationId: string, offsetMs: number, options: OffsetEstimationConfig, private readonly queueLimit: number) {
    this.estimator = new ClockOffsetEstimator(offsetMs, options);
  }

  enqueue(item: QueuedEvent): void {
    this.events += 1;
    this.lastEventAt = item.event.at;
    this.queue.push(item);
    if (this.queue.length > this.queueLimit) {
      const excess = this.queue.length - this.queueLimit;
      this.queue.splice(0, excess);
      this.dropped += excess;
    }
  }

  take(): QueuedEvent[] {
    const taken = this.queue;
    this.queue = [];
    return taken;
  }

  crossing(atCameraMs: number): void {
    this.crossings += 1;
    this.estimator.observeCrossing(atCameraMs);
  }

  health(): LanePosHealth {
    return {
      laneId: this.laneId, workstationId: this.workstationId, events: this.events, lastEventAt: this.lastEventAt,
      queued: this.queue.length, dropped: this.dropped, scannerCrossings: this.crossings, offset: this.estimator.estimate(),
    };
  }
}
