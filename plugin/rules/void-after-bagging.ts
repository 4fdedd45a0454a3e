import { z } from 'zod';
import type { LanePosEvent } from '../../contracts/index.js';
import type { Track } from '../tracking/index.js';
import { CheckoutTracker, type Passage } from './checkout-tracker.js';
import { HitGate } from './cooldown.js';
import { PosBuffer } from './pos-buffer.js';
import type { Rule, RuleDefinition, RuleEnvironment, RuleHit, RuleInput } from './rule.js';
import { clamp01, commonSettings, describePos, isOwnLane, laneScope, normalisedDetection, posEventKey, posReference, seconds } from './rule-support.js';
import { DEFAULT_PRODUCT_LABELS } from './scan-avoidance.js';
import type { ZoneStay } from './zone-history.js';

const configSchema = z.strictObject({
  labels: z.array(z.string().min(1)).min(1).default(DEFAULT_PRODUCT_LABELS).describe('object classes that are products'),
  toleranceSeconds: z.number().nonnegative().max(60).default(4).describe('a sale line matches a scanner crossing this close to it'),
  posDelaySeconds: z.number().nonnegative().max(60).default(2).describe('extra wait for POS lines that arrive late'),
  maxPosWaitSeconds: z.number().nonnegative().max(300).default(30).describe('while the lane’s POS sends nothing after a crossing (an outage), wait up to this long for its lines'),
  lookbackSeconds: z.number().positive().max(600).default(30).describe('without a matched sale line, a product bagged this long before the void counts'),
  ...commonSettings('medium', 10),
});
export type VoidAfterBaggingConfig = z.output<typeof configSchema>;

const NAME = 'void_after_bagging';
const VOID = new Set(['void'] as const);

/** The bagged product a void is about, and how the rule tied them. */
interface VoidedProduct {
  readonly track: Track;
  readonly bagging: ZoneStay;
  readonly sale: LanePosEvent | undefined;
}

class VoidAfterBaggingRule implements Rule {
  readonly name = NAME;
  private readonly checkout: CheckoutTracker;
  private readonly voids: PosBuffer;
  private readonly gate: HitGate;
  private readonly matched: Passage[] = [];
  private readonly judged = new Set<string>();
  /** Products already tied to a void: each bagged product explains one void at most. */
  private readonly usedTracks = new Map<number, number>();
  private readonly memoryMs: number;

  constructor(
    private readonly config: VoidAfterBaggingConfig,
    private readonly env: RuleEnvironment,
  ) {
    const toleranceMs = config.toleranceSeconds * 1000;
    const posDelayMs = config.posDelaySeconds * 1000;
    this.memoryMs = 120_000 + config.lookbackSeconds * 1000 + toleranceMs + posDelayMs;
    this.checkout = new CheckoutTracker({ labels: config.labels, toleranceMs, posDelayMs, maxPosWaitMs: config.maxPosWaitSeconds * 1000, memoryMs: this.memoryMs }, env);
    this.voids = new PosBuffer(isOwnLane(env), VOID);
    this.gate = new HitGate(config.cooldownSeconds * 1000);
  }

  evaluate(input: RuleInput): RuleHit[] {
    const { passages } = this.checkout.update(input);
    this.matched.push(...passages.filter((p) => p.sale !== undefined));
    this.voids.add(input.pos);
    // A void waits as long as a crossing does, so the sale line it cancels has been matched first.
    const ripeBy = input.at - (this.config.toleranceSeconds + this.config.posDelaySeconds) * 1000;
    const hits: RuleHit[] = [];
    for (const event of this.voids.between(Number.NEGATIVE_INFINITY, ripeBy)) {
      const key = posEventKey(event);
      if (this.judged.has(key)) continue;
      this.judged.add(key);
      const product = this.voidedProduct(event);
      if (product !== undefined) hits.push(this.hitFor(event, product, input));
    }
    this.forget(input.at);
    return this.gate.filter(hits.map((hit) => ({ hit, scope: laneScope(this.env) })));
  }

  reset(): void {
    this.checkout.reset();
    this.voids.reset();
    this.gate.reset();
    this.matched.length = 0;
    this.judged.clear();
    this.usedTracks.clear();
  }

  private baggingAt(track: Track, at: number): ZoneStay | undefined {
    return this.checkout.history
      .stays(track.id)
      .find((s) => s.type === 'bagging' && s.enteredAt <= at && (s.leftAt === undefined || s.endedInside || s.leftAt > at));
  }

  /** The product the void cancels: the latest earlier sale of the same item, else a product bagged just before. */
  private voidedProduct(event: LanePosEvent): VoidedProduct | undefined {
    const sameItem = this.matched
      .filter((p) => event.itemId !== null && p.sale?.itemId === event.itemId && p.sale.at <= event.at && !this.usedTracks.has(p.track.id))
      .sort((a, b) => (b.sale?.at ?? 0) - (a.sale?.at ?? 0))[0];
    if (sameItem !== undefined) {
      const bagging = this.baggingAt(sameItem.track, event.at);
      return bagging === undefined ? undefined : this.use({ track: sameItem.track, bagging, sale: sameItem.sale });
    }
    // The item's sale line is known but no bagged product ties to it: blaming another bagged product would be a guess.
    if (event.itemId !== null && this.hasSaleLineOf(event.itemId)) return undefined;
    const recent = this.checkout.history
      .stayedIn('bagging', event.at - this.config.lookbackSeconds * 1000, event.at)
      .filter(({ track }) => !this.usedTracks.has(track.id))
      .sort((a, b) => b.stay.enteredAt - a.stay.enteredAt)[0];
    return recent === undefined ? undefined : this.use({ track: recent.track, bagging: recent.stay, sale: undefined });
  }

  private hasSaleLineOf(itemId: string): boolean {
    return this.checkout.sales.between(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY).some((sale) => sale.itemId === itemId);
  }

  private use(product: VoidedProduct): VoidedProduct {
    this.usedTracks.set(product.track.id, product.bagging.enteredAt);
    return product;
  }

  private hitFor(event: LanePosEvent, product: VoidedProduct, input: RuleInput): RuleHit {
    const { track, bagging, sale } = product;
    const tie = sale === undefined ? `it reached bagging ${seconds(event.at - bagging.enteredAt)} s before the void` : `its sale line (item ${sale.itemId ?? 'unknown'}) is the one voided`;
    return {
      rule: NAME,
      trackId: track.id,
      zone: bagging.zone,
      zoneType: 'bagging',
      label: track.label,
      since: bagging.enteredAt,
      at: input.at,
      confidence: clamp01(track.meanScore * (sale === undefined ? 0.55 : 0.85)),
      severity: this.config.severity,
      explanation: `POS ${describePos(event)} for ${track.label} ${track.id}, which was already in the bagging area and not seen leaving it (${tie})`,
      evidence: { from: (sale?.at ?? bagging.enteredAt) - 2000, to: event.at + 2000 },
      detections: [normalisedDetection(track, input.frame)],
      pos: sale === undefined ? [posReference(event)] : [posReference(sale), posReference(event)],
      attributes: { method: sale === undefined ? 'recent_bagging' : 'matched_sale', secondsInBagging: seconds(event.at - bagging.enteredAt), itemId: event.itemId, amount: event.amount },
      dedupKey: `${NAME}:${posEventKey(event)}`,
    };
  }

  private forget(now: number): void {
    const from = now - this.memoryMs;
    this.voids.forgetBefore(from);
    const kept = new Set(this.voids.between(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY).map(posEventKey));
    for (const key of this.judged) if (!kept.has(key)) this.judged.delete(key);
    while ((this.matched[0]?.to ?? now) < from) this.matched.shift();
    for (const [id, at] of this.usedTracks) if (at < from) this.usedTracks.delete(id);
  }
}

/** A line is voided after its product was seen in the bagging area: the customer keeps what the bill lost. */
export const voidAfterBaggingRule: RuleDefinition<VoidAfterBaggingConfig> = {
  name: NAME,
  description: 'a void on the lane for a product already seen in the bagging area and not taken out',
  configSchema,
  create: (config, env) => new VoidAfterBaggingRule(config, env),
};
