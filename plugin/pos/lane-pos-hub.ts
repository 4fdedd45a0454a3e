import type { LanePosEvent, PosLaneEvent } from '../../contracts/index.js';
import { LaneState, type LanePosHealth } from './lane-state.js';
import type { PosConfig, PosSourceConfig } from './pos-config-schema.js';
import type { PosEventMeta, PosEventSink } from './pos-event-sink.js';
import { PosHttpReceiver } from './pos-http-receiver.js';
import type { LanePosSource } from './lane-pos-source.js';
import type { PosSourceHealth } from './source-stats.js';
import { TcpJournalClient } from './tcp-journal-client.js';
import { TcpJournalListener } from './tcp-journal-listener.js';

export interface PosHealth {
  readonly sources: PosSourceHealth[];
  readonly lanes: LanePosHealth[];
  /** Events of registers bound to no lane, by workstationId, over all sources. */
  readonly unknownWorkstations: Readonly<Record<string, number>>;
  /** Subscribers that threw (their error is not the source's problem). */
  readonly listenerErrors: number;
}

export interface LanePosHubOptions {
  /** The plugin's (camera) clock, epoch ms. */
  readonly clock?: () => number;
}

export type LanePosListener = (event: LanePosEvent) => void;

/**
 * The lane's POS at the edge: starts the configured sources, binds each event's register to its lane,
 * moves it to the camera clock with the lane's offset (at = posTime - offset) and queues it for drain()
 * and subscribers. The pipeline reports scanner-zone crossings so each lane's offset is learned.
 */
export class LanePosHub implements PosEventSink {
  private readonly lanesByWorkstation = new Map<string, LaneState>();
  private readonly lanesById = new Map<string, LaneState>();
  private readonly sources: LanePosSource[];
  private readonly unknown: Record<string, number> = {};
  private readonly listeners = new Set<LanePosListener>();
  private readonly changeListeners = new Set<() => void>();
  private readonly clock: () => number;
  private seq = 0;
  private listenerErrors = 0;
  private started: LanePosSource[] = [];

  constructor(readonly config: PosConfig, options: LanePosHubOptions = {}) {
    this.clock = options.clock ?? Date.now;
    for (const binding of config.lanes) {
      const lane = new LaneState(binding.laneId, binding.workstationId, binding.offsetMs, config.offsetEstimation, config.queueLimit);
      this.lanesByWorkstation.set(binding.workstationId, lane);
      this.lanesById.set(binding.laneId, lane);
    }
    this.sources = config.sources.map((source) => this.sourceOf(source));
  }

  /** Starts every source in config order; if one cannot (a port taken), those started are stopped again and the error is thrown. */
  async start(): Promise<void> {
    for (const source of this.sources) {
      try {
        await source.start();
        this.started.push(source);
      } catch (error) {
        await this.stop();
        throw error;
      }
    }
  }

  async stop(): Promise<void> {
    const started = this.started.reverse();
    this.started = [];
    await Promise.all(started.map((source) => source.stop()));
  }

  /** Events that arrived since the last drain, of one lane or of all, in arrival order. */
  drain(laneId?: string): LanePosEvent[] {
    const lanes = laneId === undefined ? [...this.lanesById.values()] : [this.lanesById.get(laneId)].filter((l) => l !== undefined);
    return lanes.flatMap((lane) => lane.take()).sort((a, b) => a.seq - b.seq).map((q) => q.event);
  }

  /** Calls `listener` with each lane event as it arrives (in addition to the drain queues); returns the unsubscribe. */
  subscribe(listener: LanePosListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` whenever health may have changed (a connection, a line, an event); returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** A product crossed the lane's scanner zone at `atCameraMs`; false when the lane has no POS bound. */
  observeScannerCrossing(laneId: string, atCameraMs: number): boolean {
    const lane = this.lanesById.get(laneId);
    if (!lane) return false;
    lane.crossing(atCameraMs);
    this.changed();
    return true;
  }

  /** The lane's current offset, POS clock minus camera clock (ms), or undefined for a lane without POS. */
  offsetOf(laneId: string): number | undefined {
    return this.lanesById.get(laneId)?.estimator.offsetMs;
  }

  health(): PosHealth {
    return {
      sources: this.sources.map((s) => s.health()),
      lanes: [...this.lanesById.values()].map((l) => l.health()),
      unknownWorkstations: { ...this.unknown },
      listenerErrors: this.listenerErrors,
    };
  }

  /** The source at `index` of the config (tests read its bound port). */
  sourceAt(index: number): LanePosSource | undefined {
    return this.sources[index];
  }

  accept(event: PosLaneEvent, meta: PosEventMeta): boolean {
    const lane = this.lanesByWorkstation.get(event.workstationId);
    if (!lane) {
      this.unknown[event.workstationId] = (this.unknown[event.workstationId] ?? 0) + 1;
      this.changed();
      return false;
    }
    if (meta.isScanPrecise && meta.timeBase === 'pos' && event.kind === 'sale') lane.estimator.observeScan(event.posTime);
    const offset = lane.estimator.offsetMs;
    // An untimed line happened when it arrived: its POS time is that moment on the POS clock as far as we know it.
    const laneEvent: LanePosEvent = meta.timeBase === 'pos'
      ? { ...event, laneId: lane.laneId, at: event.posTime - offset }
      : { ...event, laneId: lane.laneId, posTime: Math.max(0, meta.receivedAt + offset), at: meta.receivedAt };
    lane.enqueue({ seq: this.seq++, event: laneEvent });
    this.publish(laneEvent);
    this.changed();
    return true;
  }

  private publish(event: LanePosEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        this.listenerErrors += 1;
      }
    }
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }

  private sourceOf(config: PosSourceConfig): LanePosSource {
    const onChange = (): void => this.changed();
    if (config.type === 'tcp_listen') return new TcpJournalListener(config, this, this.clock, onChange);
    if (config.type === 'tcp_connect') return new TcpJournalClient(config, this, this.clock, onChange);
    return new PosHttpReceiver(config, this, this.clock, onChange);
  }
}
