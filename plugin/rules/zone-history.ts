import type { Track, ZoneType } from '../tracking/index.js';
import { anchorPoint, DEFAULT_CENTRE_LABELS, zonesAt } from '../tracking/index.js';
import type { RuleInput } from './rule.js';

/** One stay of a track in one zone, as this history saw it. */
export interface ZoneStay {
  readonly zone: string;
  readonly type: ZoneType;
  readonly enteredAt: number;
  /** Undefined while the track is inside. */
  readonly leftAt: number | undefined;
  /** True when the stay ended because the track ended there (it was not seen leaving). */
  readonly endedInside: boolean;
}

export interface ZoneStep {
  readonly kind: 'enter' | 'exit';
  readonly track: Track;
  readonly stay: ZoneStay;
}

interface TrackRecord {
  track: Track;
  readonly stays: ZoneStay[];
  endedAt: number | undefined;
}

export interface ZoneHistoryOptions {
  readonly labels: readonly string[];
  /** How long a track's stays are remembered after it was last seen. */
  readonly keepMs: number;
  /** Stays kept per track, oldest dropped first. */
  readonly maxStays?: number;
  /** Place these labels by their box centre (held or lying objects) rather than bottom-centre (people, carts). */
  readonly isPlacedByCentre?: boolean;
}

/**
 * Which zones each track of some labels has been in, with times, including zones it already left: the rule input's
 * visits only list open ones, while a rule asking "did this product pass the scanner" needs the path.
 */
export class TrackZoneHistory {
  private readonly records = new Map<number, TrackRecord>();
  private readonly labels: ReadonlySet<string>;
  private readonly centreLabels: ReadonlySet<string>;
  private readonly maxStays: number;

  constructor(private readonly options: ZoneHistoryOptions) {
    this.labels = new Set(options.labels);
    this.centreLabels = new Set([...DEFAULT_CENTRE_LABELS, ...(options.isPlacedByCentre === true ? options.labels : [])]);
    this.maxStays = options.maxStays ?? 32;
  }

  update(input: RuleInput): ZoneStep[] {
    const steps: ZoneStep[] = [];
    for (const track of input.tracks) {
      if (!this.labels.has(track.label) || track.state !== 'confirmed' || track.missedFrames > 0) continue;
      steps.push(...this.follow(track, input));
    }
    for (const track of input.removed) steps.push(...this.end(track));
    this.forgetBefore(input.at - this.options.keepMs);
    return steps;
  }

  stays(trackId: number): readonly ZoneStay[] {
    return this.records.get(trackId)?.stays ?? [];
  }

  track(trackId: number): Track | undefined {
    return this.records.get(trackId)?.track;
  }

  /** Tracks that entered a zone of the type within [from, to] and were not seen leaving it by `to`. */
  stayedIn(type: ZoneType, from: number, to: number): Array<{ readonly track: Track; readonly stay: ZoneStay }> {
    const found: Array<{ track: Track; stay: ZoneStay }> = [];
    for (const record of this.records.values()) {
      const stay = record.stays.find((s) => s.type === type && s.enteredAt >= from && s.enteredAt <= to && (s.leftAt === undefined || s.endedInside || s.leftAt > to));
      if (stay !== undefined) found.push({ track: record.track, stay });
    }
    return found;
  }

  /**
   * Tracks last seen in [from, before) whose latest stay is in a zone of the type (still open, or ended there when
   * the track ended): products lost from sight in that zone.
   */
  lostIn(type: ZoneType, from: number, before: number): Array<{ readonly track: Track; readonly stay: ZoneStay }> {
    const found: Array<{ track: Track; stay: ZoneStay }> = [];
    for (const record of this.records.values()) {
      const last = record.stays.at(-1);
      const { lastSeenAt } = record.track;
      if (last?.type !== type || lastSeenAt < from || lastSeenAt >= before) continue;
      if (last.leftAt === undefined || last.endedInside) found.push({ track: record.track, stay: last });
    }
    return found;
  }

  /** Tracks seen in a zone of the type at some time in [from, to] (a stay still open lasts to the track's last sighting). */
  seenIn(type: ZoneType, from: number, to: number): Track[] {
    const found: Track[] = [];
    for (const record of this.records.values()) {
      const isSeen = record.stays.some((s) => s.type === type && s.enteredAt <= to && (s.leftAt ?? record.track.lastSeenAt) >= from);
      if (isSeen) found.push(record.track);
    }
    return found;
  }

  reset(): void {
    this.records.clear();
  }

  private follow(track: Track, input: RuleInput): ZoneStep[] {
    const record = this.records.get(track.id) ?? { track, stays: [], endedAt: undefined };
    record.track = track;
    this.records.set(track.id, record);
    const inside = zonesAt(anchorPoint(track.label, track.box, input.frame, this.centreLabels), input.zones);
    const steps: ZoneStep[] = [];
    record.stays.forEach((stay, i) => {
      if (stay.leftAt !== undefined || inside.some((z) => z.name === stay.zone)) return;
      const left: ZoneStay = { ...stay, leftAt: track.lastSeenAt };
      record.stays[i] = left;
      steps.push({ kind: 'exit', track, stay: left });
    });
    for (const zone of inside) {
      if (record.stays.some((s) => s.zone === zone.name && s.leftAt === undefined)) continue;
      const entered: ZoneStay = { zone: zone.name, type: zone.type, enteredAt: track.lastSeenAt, leftAt: undefined, endedInside: false };
      record.stays.push(entered);
      if (record.stays.length > this.maxStays) record.stays.shift();
      steps.push({ kind: 'enter', track, stay: entered });
    }
    return steps;
  }

  private end(track: Track): ZoneStep[] {
    const record = this.records.get(track.id);
    if (record === undefined) return [];
    record.endedAt = track.lastSeenAt;
    const steps: ZoneStep[] = [];
    record.stays.forEach((stay, i) => {
      if (stay.leftAt !== undefined) return;
      const ended: ZoneStay = { ...stay, leftAt: track.lastSeenAt, endedInside: true };
      record.stays[i] = ended;
      steps.push({ kind: 'exit', track: record.track, stay: ended });
    });
    return steps;
  }

  private forgetBefore(at: number): void {
    for (const [id, record] of this.records) if ((record.endedAt ?? record.track.lastSeenAt) < at) this.records.delete(id);
  }
}
