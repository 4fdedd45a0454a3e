import { z } from 'zod';
import { CheckoutTracker, type BaggingArrival, type Passage } from './checkout-tracker.js';
import { HitGate } from './cooldown.js';
import type { Rule, RuleDefinition, RuleEnvironment, RuleHit, RuleInput } from './rule.js';
import { clamp01, commonSettings, laneScope, normalisedDetection, posReference, seconds } from './rule-support.js';

export const DEFAULT_PRODUCT_LABELS = ['product', 'item', 'bottle', 'can', 'box', 'package'];

const configSchema = z.strictObject({
  labels: z.array(z.string().min(1)).min(1).default(DEFAULT_PRODUCT_LABELS).describe('object classes that are products'),
  toleranceSeconds: z.number().nonnegative().max(60).default(4).describe('a sale line counts when its `at` is this close to the scanner crossing'),
  posDelaySeconds: z.number().nonnegative().max(60).default(2).describe('extra wait after the tolerance for POS lines that arrive late'),
  posWatermark: z.boolean().default(true).describe('decide as soon as the lane’s POS stream has a line stamped past the crossing plus the tolerance (and past any lateness its lines have shown), instead of waiting posDelaySeconds'),
  posLatenessSeconds: z.number().nonnegative().max(60).default(0.5).describe('with posWatermark: a line may arrive at least this far behind the stream’s latest stamp (more once the feed has shown more)'),
  followLostProducts: z.boolean().default(false).describe('follow a product lost from sight by the scanner in the load area and taken up by a new track in bagging within 3 s as an unseen pass (a hit when no sale line matches); off by default: on the synthetic checkout it found a skip whose track broke, and also raised false alarms'),
  maxPosWaitSeconds: z.number().nonnegative().max(300).default(30).describe('while the lane’s POS sends nothing after a crossing (an outage), wait up to this long for its lines'),
  ...commonSettings('high', 5),
});
export type ScanAvoidanceConfig = z.output<typeof configSchema>;

const NAME = 'scan_avoidance';
const MEMORY_MS = 120_000;

class ScanAvoidanceRule implements Rule {
  readonly name = NAME;
  private readonly checkout: CheckoutTracker;
  private readonly gate: HitGate;
  /** Tracks already called as a skip, with when (a product back in bagging is not called again). */
  private readonly skipped = new Map<number, number>();

  constructor(
    private readonly config: ScanAvoidanceConfig,
    private readonly env: RuleEnvironment,
  ) {
    const toleranceMs = config.toleranceSeconds * 1000;
    const posDelayMs = config.posDelaySeconds * 1000;
    this.checkout = new CheckoutTracker({ labels: config.labels, toleranceMs, posDelayMs, maxPosWaitMs: config.maxPosWaitSeconds * 1000, memoryMs: MEMORY_MS + toleranceMs + posDelayMs,
      posWatermarkMinLatenessMs: config.posWatermark ? config.posLatenessSeconds * 1000 : undefined,
      isSkipDecidedOnArrival: true,
      linksLostProducts: config.followLostProducts,
      isLostPassTakenOver: true,
    }, env);
    this.gate = new HitGate(config.cooldownSeconds * 1000);
  }

  evaluate(input: RuleInput): RuleHit[] {
    const { passages, arrivals } = this.checkout.update(input);
    this.forgetSkipsBefore(input.at - MEMORY_MS);
    const skips = arrivals.flatMap((a) => this.newSkip(a, input.at));
    // Over the scanner, or lost from sight on the way to bagging (route `unseen`): a hit only with no sale line.
    const unsold = passages.filter((p) => p.route !== 'skip' && p.sale === undefined);
    return this.gate.filter([...skips, ...unsold].map((p) => ({ hit: this.hitFor(p, input), scope: laneScope(this.env) })));
  }

  reset(): void {
    this.checkout.reset();
    this.gate.reset();
    this.skipped.clear();
  }

  /**
   * A product that went from the load area to bagging without the scanner is a skip whatever the POS says, so it
   * is decided on the frame it reaches bagging (once a track). A sale line already in near its way (keyed by hand,
   * perhaps) makes it less clear-cut; the line is not claimed, so a scanned neighbour still matches its own.
   */
  private newSkip(arrival: BaggingArrival, now: number): Passage[] {
    if (arrival.route !== 'skip' || this.skipped.has(arrival.track.id)) return [];
    this.skipped.set(arrival.track.id, now);
    const from = arrival.leftLoadAt ?? arrival.at;
    const tolerance = this.config.toleranceSeconds * 1000;
    const sale = this.checkout.sales.peekEarliest('sale', from - tolerance, arrival.at + tolerance);
    return [{ track: arrival.track, route: 'skip', from, to: arrival.at, sale, nearestUnmatchedSaleMs: undefined, baggedAt: arrival.at }];
  }

  private forgetSkipsBefore(at: number): void {
    for (const [trackId, decidedAt] of this.skipped) if (decidedAt < at) this.skipped.delete(trackId);
  }

  private hitFor(passage: Passage, input: RuleInput): RuleHit {
    const { track } = passage;
    const tolerance = this.config.toleranceSeconds;
    const isSkip = passage.route === 'skip';
    // A near miss (a sale line just outside the tolerance) or a skip with a hand-keyed sale is less clear-cut.
    const isNearMiss = passage.nearestUnmatchedSaleMs !== undefined && passage.nearestUnmatchedSaleMs <= tolerance * 2000;
    const isUnseen = passage.route === 'unseen';
    // An unseen way (a track continued by another) is less certain than one the video followed.
    const clarity = isSkip ? (passage.sale === undefined ? 0.9 : 0.5) : isNearMiss ? 0.6 : isUnseen ? 0.7 : 0.85;
    return {
      rule: NAME,
      trackId: track.id,
      zoneType: passage.route === 'scanner' ? 'scanner' : 'bagging',
      label: track.label,
      since: passage.from,
      at: input.at,
      confidence: clamp01(track.meanScore * clarity),
      severity: this.config.severity,
      explanation: explanationOf(passage, tolerance),
      evidence: { from: passage.from - 2000, to: (passage.baggedAt ?? passage.to) + 2000 },
      detections: [normalisedDetection(track, input.frame)],
      pos: passage.sale === undefined ? [] : [posReference(passage.sale)],
      attributes: {
        route: passage.route,
        lostTrackId: passage.lostTrackId ?? null,
        crossingSeconds: seconds(passage.to - passage.from),
        toleranceSeconds: tolerance,
        // How long after the crossing's window closed the rule decided (the wait for a late sale line).
        waitedSeconds: seconds(input.at - passage.to),
        nearestUnmatchedSaleSeconds: passage.nearestUnmatchedSaleMs === undefined ? null : seconds(passage.nearestUnmatchedSaleMs),
      },
      dedupKey: `${NAME}:${this.env.laneId ?? ''}:${track.id}:${passage.from}`,
    };
  }
}

function explanationOf(passage: Passage, tolerance: number): string {
  const { track, sale } = passage;
  const product = `${track.label} ${track.id}`;
  if (passage.route === 'skip') {
    return `${product} went from the load area to bagging without passing the scanner` +
      (sale === undefined ? `; no sale line within ${tolerance} s` : `; a sale line (item ${sale.itemId ?? 'unknown'}) was rung meanwhile, perhaps keyed by hand`);
  }
  if (passage.route === 'unseen') {
    return `${product} appeared in bagging just after ${track.label} ${passage.lostTrackId ?? '?'} was lost from sight by the scanner, unseen crossing it, and no sale line of the lane came within ${tolerance} s`;
  }
  return `${product} crossed the scanner but no sale line of the lane came within ${tolerance} s of the crossing`;
}

/** A product reaches bagging without the scanner, or crosses the scanner with no sale line of the lane near it. */
export const scanAvoidanceRule: RuleDefinition<ScanAvoidanceConfig> = {
  name: NAME,
  description: 'a product skips the scanner, or crosses it with no matching sale line on the lane',
  configSchema,
  create: (config, env) => new ScanAvoidanceRule(config, env),
};
