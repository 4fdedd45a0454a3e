import type { LanePosEvent, PosLaneEventKind } from '../../contracts/index.js';
import { posEventKey } from './rule-support.js';

/**
 * POS events kept in the order of their `at` (camera clock), whatever order they arrived in; a resent event is
 * kept once. Rules claim sale lines from it so that one line matches at most one product.
 */
export class PosBuffer {
  private readonly events: LanePosEvent[] = [];
  private readonly keys = new Set<string>();
  private readonly claimed = new Set<string>();
  /** Events before this were forgotten; one arriving now is too old to judge. */
  private horizon = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly accepts: (event: LanePosEvent) => boolean,
    private readonly kinds: ReadonlySet<PosLaneEventKind>,
  ) {}

  /** Adds the events this buffer keeps; returns the ones that were new. */
  add(events: readonly LanePosEvent[]): LanePosEvent[] {
    const added: LanePosEvent[] = [];
    for (const event of events) {
      if (!this.kinds.has(event.kind) || !this.accepts(event) || event.at < this.horizon) continue;
      const key = posEventKey(event);
      if (this.keys.has(key)) continue;
      this.keys.add(key);
      this.insertInOrder(event);
      added.push(event);
    }
    return added;
  }

  /** Events with `at` in [from, to], oldest first, optionally of some kinds only. */
  between(from: number, to: number, kinds?: ReadonlySet<PosLaneEventKind>): LanePosEvent[] {
    return this.events.filter((e) => e.at >= from && e.at <= to && (kinds === undefined || kinds.has(e.kind)));
  }

  /** The earliest unclaimed event of `kind` with `at` in [from, to], now claimed; undefined when there is none. */
  claimEarliest(kind: PosLaneEventKind, from: number, to: number): LanePosEvent | undefined {
    const found = this.peekEarliest(kind, from, to);
    if (found !== undefined) this.claimed.add(posEventKey(found));
    return found;
  }

  /** The earliest unclaimed event of `kind` with `at` in [from, to], left unclaimed; undefined when there is none. */
  peekEarliest(kind: PosLaneEventKind, from: number, to: number): LanePosEvent | undefined {
    return this.events.find((e) => e.kind === kind && e.at >= from && e.at <= to && !this.claimed.has(posEventKey(e)));
  }

  /** Milliseconds from [from, to] to the nearest unclaimed event of `kind`, or undefined when there is none. */
  nearestUnclaimedGap(kind: PosLaneEventKind, from: number, to: number): number | undefined {
    let best: number | undefined;
    for (const e of this.events) {
      if (e.kind !== kind || this.claimed.has(posEventKey(e))) continue;
      const gap = e.at < from ? from - e.at : e.at > to ? e.at - to : 0;
      if (best === undefined || gap < best) best = gap;
    }
    return best;
  }

  /** Drops events with `at` before the given time (their keys too: a resend that old is not judged again). */
  forgetBefore(at: number): void {
    this.horizon = Math.max(this.horizon, at);
    while (this.events.length > 0 && (this.events[0]?.at ?? at) < at) {
      const dropped = this.events.shift();
      if (dropped === undefined) break;
      const key = posEventKey(dropped);
      this.keys.delete(key);
      this.claimed.delete(key);
    }
  }

  get size(): number {
    return this.events.length;
  }

  reset(): void {
    this.events.length = 0;
    this.keys.clear();
    this.claimed.clear();
    this.horizon = Number.NEGATIVE_INFINITY;
  }

  private insertInOrder(event: LanePosEvent): void {
    let i = this.events.length;
    while (i > 0 && (this.events[i - 1]?.at ?? 0) > event.at) i--;
    this.events.splice(i, 0, event);
  }
}
