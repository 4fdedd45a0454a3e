import type { Track } from './track.js';
import type { Zone, ZoneType } from './zones.js';
import { anchorPoint, DEFAULT_CENTRE_LABELS, zonesAt } from './zones.js';

/** One stay of one track in one zone. */
export interface ZoneVisit {
  readonly trackId: number;
  readonly label: string;
  readonly zone: string;
  readonly zoneType: ZoneType;
  readonly enteredAt: number;
  /** Undefined while the track is still in the zone. */
  readonly exitedAt: number | undefined;
}

export interface ZoneTransition {
  readonly kind: 'enter' | 'exit';
  readonly visit: ZoneVisit;
}

export interface ZoneDwellOptions {
  /** Labels placed by their box centre instead of bottom-centre. */
  readonly centreLabels?: readonly string[];
  /** Closed visits kept for `history`, oldest dropped first. */
  readonly historySize?: number;
}

/**
 * Which confirmed tracks are in which zones, with enter and exit times. A track the detector missed this frame
 * keeps its zones (a missed detection is not a departure); a removed track leaves at its last sighting.
 */
export class ZoneDwellTracker {
  private readonly open = new Map<string, ZoneVisit>();
  private readonly closed: ZoneVisit[] = [];
  private readonly centreLabels: ReadonlySet<string>;
  private readonly historySize: number;

  constructor(
    private readonly zones: readonly Zone[],
    options: ZoneDwellOptions = {},
  ) {
    this.centreLabels = new Set(options.centreLabels ?? DEFAULT_CENTRE_LABELS);
    this.historySize = options.historySize ?? 1000;
  }

  update(tracks: readonly Track[], removed: readonly Track[], frame: { width: number; height: number; timestamp: number }): ZoneTransition[] {
    const transitions: ZoneTransition[] = [];
    for (const track of tracks) {
      if (track.state !== 'confirmed' || track.missedFrames > 0) continue;
      const inside = new Set(zonesAt(anchorPoint(track.label, track.box, frame, this.centreLabels), this.zones).map((z) => z.name));
      for (const zone of this.zones) {
        const key = `${track.id}\u0000${zone.name}`;
        const visit = this.open.get(key);
        if (inside.has(zone.name) && visit === undefined) {
          const entered: ZoneVisit = { trackId: track.id, label: track.label, zone: zone.name, zoneType: zone.type, enteredAt: track.lastSeenAt, exitedAt: undefined };
          this.open.set(key, entered);
          transitions.push({ kind: 'enter', visit: entered });
        } else if (!inside.has(zone.name) && visit !== undefined) {
          transitions.push({ kind: 'exit', visit: this.close(key, visit, track.lastSeenAt) });
        }
      }
    }
    for (const track of removed) {
      for (const [key, visit] of this.open) {
        if (visit.trackId === track.id) transitions.push({ kind: 'exit', visit: this.close(key, visit, track.lastSeenAt) });
      }
    }
    return transitions;
  }

  /** The camera's zones, as configured. */
  get zoneList(): readonly Zone[] {
    return this.zones;
  }

  /** Drops the open visits without closing them (the stream restarted: how long anyone stayed is unknown). */
  reset(): void {
    this.open.clear();
  }

  /** Visits still open. */
  current(): ZoneVisit[] {
    return [...this.open.values()];
  }

  /** Closed visits, oldest first, optionally of one track. */
  history(trackId?: number): ZoneVisit[] {
    return trackId === undefined ? [...this.closed] : this.closed.filter((v) => v.trackId === trackId);
  }

  private close(key: string, visit: ZoneVisit, at: number): ZoneVisit {
    this.open.delete(key);
    const closed = { ...visit, exitedAt: at };
    this.closed.push(closed);
    if (this.closed.length > this.historySize) this.closed.shift();
    return closed;
  }
}
