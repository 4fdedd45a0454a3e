import type { LanePosEvent } from '../../contracts/index.js';
import type { Track } from '../tracking/index.js';
import { PosBuffer } from './pos-buffer.js';
import { PosWatermark } from './pos-watermark.js';
import type { RuleEnvironment, RuleInput } from './rule.js';
import { lostProductFor } from './lost-product-link.js';
import { isOwnLane } from './rule-support.js';
import { TrackZoneHistory, type ZoneStep } from './zone-history.js';

/**
 * How a product reached the bagging area, or crossed the scanner; `unseen`: its track was lost near the scanner in
 * the load area and a new one appeared in bagging (linkLostProducts), so whether it crossed the scanner is unknown.
 */
export type PassageRoute = 'scanner' | 'skip' | 'unseen';

/**
 * One product's pass through the checkout, decided against the lane's sale lines: over the scanner (the window
 * is its stay on the scanner), or from the load area straight to bagging (the window runs from leaving the load
 * area to reaching bagging).
 */
export interface Passage {
  readonly track: Track;
  readonly route: PassageRoute;
  readonly from: number;
  readonly to: number;
  /** With route `unseen`: the track lost in the load area that this one continues. */
  readonly lostTrackId?: number | undefined;
  /** The sale line matched to this passage (each line matches one passage at most). */
  readonly sale: LanePosEvent | undefined;
  /** Distance in ms from the window to the nearest sale line left unmatched, when there is one. */
  readonly nearestUnmatchedSaleMs: number | undefined;
  /** When the product reached bagging, if it already had. */
  readonly baggedAt: number | undefined;
}

export interface BaggingArrival {
  readonly track: Track;
  readonly at: number;
  readonly route: PassageRoute | 'none';
  /** With route `skip`: when the product left the load area (the start of its way round the scanner). */
  readonly leftLoadAt?: number | undefined;
}

/** A pass of route `unseen`: the track lost in the load area that the one in bagging continues. */
export interface LostLink {
  readonly lostTrackId: number;
}

export interface CheckoutUpdate {
  /** Passages whose wait for late sale lines is over, in the order of their windows' end. */
  readonly passages: readonly Passage[];
  readonly arrivals: readonly BaggingArrival[];
  readonly steps: readonly ZoneStep[];
}

export interface CheckoutOptions {
  readonly labels: readonly string[];
  readonly toleranceMs: number;
  /** Extra wait after the tolerance for sale lines that the network delivers late. */
  readonly posDelayMs: number;
  /** While the lane's POS has sent nothing since a pass's window closed (a feed outage), wait up to this long. */
  readonly maxPosWaitMs: number;
  /** How long product paths and sale lines are remembered. */
  readonly memoryMs: number;
  /**
   * Decide a pass as soon as the lane's POS stream is past its window plus the tolerance (PosWatermark), with at
   * least this allowance for lines arriving behind the stream; absent: only the fixed waits decide.
   */
  readonly posWatermarkMinLatenessMs?: number | undefined;
  /**
   * A skip is complete when the product reaches bagging: report it in `arrivals` only, with no pass waiting for
   * (and claiming) a sale line. A rule whose skip does not depend on the POS decides it there and then.
   */
  readonly isSkipDecidedOnArrival?: boolean | undefined;
  /** Follow a product whose track broke between the load area and bagging as a pass of route `unseen`. */
  readonly linksLostProducts?: boolean | undefined;
  /** A new track starting on the scanner just after another was lost there takes over its pending pass. */
  readonly isLostPassTakenOver?: boolean | undefined;
}

interface PendingPassage {
  readonly route: PassageRoute;
  readonly from: number;
  to: number | undefined;
  readonly lostTrackId?: number | undefined;
}

const SALE = new Set(['sale'] as const);
/** A track lost on the scanner this recently before a new one starts there is taken for the same product. */
const CONTINUED_PASS_MS = 1_500;

/** The track was last seen before `at`, and no longer ago than `withinMs`. */
const isLostWithin = (track: Track | undefined, at: number, withinMs: number): boolean =>
  track !== undefined && track.lastSeenAt < at && track.lastSeenAt >= at - withinMs;

/**
 * Follows products across a lane's load, scanner and bagging zones and matches each pass to a sale line of the
 * lane with `at` within the tolerance. A pass waits until the frame time is past its window plus the tolerance
 * and the POS delay, so sale lines that arrive late or out of order are still matched. One pass per product track;
 * a product back on the scanner before its pass is decided (a rescan) extends the pass.
 */
export class CheckoutTracker {
  readonly history: TrackZoneHistory;
  readonly sales: PosBuffer;
  private readonly pending = new Map<number, PendingPassage>();
  /** Tracks whose pass was decided, with when; remembered as long as their history. */
  private readonly decided = new Map<number, number>();
  /** Frame time at which the lane's POS last delivered anything: proof the feed is alive. */
  private lastPosHeardAt = Number.NEGATIVE_INFINITY;
  /** Frame time at which the lane's latest transaction end arrived. */
  private transactionEndHeardAt = Number.NEGATIVE_INFINITY;
  private readonly isOwnLane: (event: LanePosEvent) => boolean;
  private readonly watermark: PosWatermark | undefined;

  constructor(
    private readonly options: CheckoutOptions,
    env: RuleEnvironment,
  ) {
    this.history = new TrackZoneHistory({ labels: options.labels, keepMs: options.memoryMs, isPlacedByCentre: true });
    this.isOwnLane = isOwnLane(env);
    this.sales = new PosBuffer(this.isOwnLane, SALE);
    const minLatenessMs = options.posWatermarkMinLatenessMs;
    this.watermark = minLatenessMs === undefined ? undefined : new PosWatermark(this.isOwnLane, { keepMs: options.memoryMs, minLatenessMs });
  }

  update(input: RuleInput): CheckoutUpdate {
    this.sales.add(input.pos);
    this.watermark?.add(input.pos, input.at);
    if (input.pos.some(this.isOwnLane)) this.lastPosHeardAt = input.at;
    if (input.pos.some((e) => e.kind === 'transaction_end' && this.isOwnLane(e))) this.transactionEndHeardAt = input.at;
    const steps = this.history.update(input);
    const arrivals: BaggingArrival[] = [];
    for (const step of steps) {
      const arrival = this.follow(step, input);
      if (arrival !== undefined) arrivals.push(arrival);
    }
    const passages = this.ripen(input.at);
    this.forgetBefore(input.at - this.options.memoryMs);
    return { passages, arrivals, steps };
  }

  reset(): void {
    this.history.reset();
    this.sales.reset();
    this.pending.clear();
    this.decided.clear();
    this.lastPosHeardAt = Number.NEGATIVE_INFINITY;
    this.transactionEndHeardAt = Number.NEGATIVE_INFINITY;
    this.watermark?.reset();
  }

  private isFollowed(trackId: number): boolean {
    return this.pending.has(trackId) || this.decided.has(trackId);
  }

  private follow(step: ZoneStep, input: RuleInput): BaggingArrival | undefined {
    const { track, stay } = step;
    if (stay.type === 'scanner' && step.kind === 'enter') {
      if (this.options.isLostPassTakenOver === true && this.history.stays(track.id).length === 1) this.dropContinuedPass(track, stay.enteredAt);
      const pending = this.pending.get(track.id);
      // Back on the scanner before its pass was decided: a rescan, one crossing from the first entry to the last exit.
      if (pending?.route === 'scanner') pending.to = undefined;
      else if (!this.isFollowed(track.id)) this.pending.set(track.id, { route: 'scanner', from: stay.enteredAt, to: undefined });
    } else if (stay.type === 'scanner' && step.kind === 'exit') {
      const pending = this.pending.get(track.id);
      if (pending?.route === 'scanner') pending.to = stay.leftAt;
    } else if (stay.type === 'bagging' && step.kind === 'enter') {
      return this.arrive(track, stay.enteredAt, input);
    }
    return undefined;
  }

  /**
   * A new track that starts on the scanner just after another product's track was lost there is most likely the
   * same product taken up again: its pass replaces the lost one's, so one product's sale line is not asked of two.
   */
  private dropContinuedPass(track: Track, at: number): void {
    const lost = [...this.pending.entries()]
      .filter(([id, p]) => id !== track.id && p.route === 'scanner' && p.to === undefined && isLostWithin(this.history.track(id), at, CONTINUED_PASS_MS))
      .sort((a, b) => (this.history.track(b[0])?.lastSeenAt ?? 0) - (this.history.track(a[0])?.lastSeenAt ?? 0))[0];
    if (lost === undefined) return;
    this.pending.delete(lost[0]);
    this.decided.set(lost[0], at);
  }

  private arrive(track: Track, at: number, input: RuleInput): BaggingArrival {
    const earlier = this.history.stays(track.id).filter((s) => s.enteredAt <= at);
    if (earlier.some((s) => s.type === 'scanner')) return { track, at, route: 'scanner' };
    const load = earlier.filter((s) => s.type === 'load').at(-1);
    if (load === undefined) return this.arriveUnseen(track, at, input);
    const leftLoadAt = load.leftAt ?? at;
    if (this.options.isSkipDecidedOnArrival !== true && !this.isFollowed(track.id)) this.pending.set(track.id, { route: 'skip', from: leftLoadAt, to: at });
    return { track, at, route: 'skip', leftLoadAt };
  }

  /** A product first seen in bagging: the continuation of one lost near the scanner, when linkLostProducts finds it. */
  private arriveUnseen(track: Track, at: number, input: RuleInput): BaggingArrival {
    if (this.options.linksLostProducts !== true || this.isFollowed(track.id)) return { track, at, route: 'none' };
    const scanners = input.zones.filter((z) => z.type === 'scanner');
    const lost = lostProductFor(at, this.history, scanners, input.frame, (id) => this.isFollowed(id));
    if (lost === undefined) return { track, at, route: 'none' };
    this.decided.set(lost.id, at);
    this.pending.set(track.id, { route: 'unseen', from: lost.lastSeenAt, to: at, lostTrackId: lost.id });
    return { track, at, route: 'unseen' };
  }

  private ripen(now: number): Passage[] {
    const ripe = [...this.pending.entries()]
      .filter((entry): entry is [number, PendingPassage & { to: number }] => entry[1].to !== undefined && this.isRipe(entry[1].to, now))
      .sort((a, b) => a[1].to - b[1].to || a[0] - b[0]);
    return ripe.flatMap(([trackId, pending]) => {
      this.pending.delete(trackId);
      this.decided.set(trackId, now);
      const track = this.history.track(trackId);
      return track === undefined ? [] : [this.decide(track, pending)];
    });
  }

  /**
   * The lane's POS stream is past the window plus the tolerance (with the watermark; an in-order journal says so
   * with its next line), or: past the tolerance and the POS delay, and the POS has been heard from since the window
   * closed (lines held in an outage arrive together when it ends), or the longest wait is over.
   */
  private isRipe(to: number, now: number): boolean {
    const closesAt = to + this.options.toleranceMs;
    if (this.watermark?.isPast(closesAt) === true) return true;
    if (this.isTransactionClosedAfter(to)) return true;
    if (now <= closesAt + this.options.posDelayMs) return false;
    return this.lastPosHeardAt > closesAt || now > closesAt + this.options.maxPosWaitMs;
  }

  /**
   * The lane's transaction ended (its end line arrived) after the pass's window closed on the video, on a feed that
   * has shown no line out of order lately (PosWatermark at its floor): a product's sale line is rung before the
   * total, so any for this pass is already in. This decides the last product of a transaction without waiting
   * for the next customer (the lane may then stay quiet for minutes).
   */
  private isTransactionClosedAfter(to: number): boolean {
    const watermark = this.watermark;
    if (watermark === undefined || watermark.allowanceMs > (this.options.posWatermarkMinLatenessMs ?? 0)) return false;
    return this.transactionEndHeardAt > to;
  }

  private decide(track: Track, pending: PendingPassage & { to: number }): Passage {
    const tolerance = this.options.toleranceMs;
    const sale = this.sales.claimEarliest('sale', pending.from - tolerance, pending.to + tolerance);
    const bagging = this.history.stays(track.id).find((s) => s.type === 'bagging' && s.enteredAt >= pending.from);
    return {
      track,
      route: pending.route,
      from: pending.from,
      to: pending.to,
      lostTrackId: pending.lostTrackId,
      sale,
      nearestUnmatchedSaleMs: sale === undefined ? this.sales.nearestUnclaimedGap('sale', pending.from, pending.to) : undefined,
      baggedAt: bagging?.enteredAt,
    };
  }

  private forgetBefore(at: number): void {
    this.sales.forgetBefore(at);
    for (const [trackId, decidedAt] of this.decided) if (decidedAt < at) this.decided.delete(trackId);
    // A product that never leaves the scanner is forgotten with its history rather than waiting forever.
    for (const trackId of this.pending.keys()) if (this.history.track(trackId) === undefined) this.pending.delete(trackId);
  }
}

