import { z } from 'zod';
import type { LanePosEvent } from '../../contracts/index.js';
import { CheckoutTracker, type Passage } from './checkout-tracker.js';
import { HitGate } from './cooldown.js';
import { PosBuffer } from './pos-buffer.js';
import type { Rule, RuleDefinition, RuleEnvironment, RuleHit, RuleInput } from './rule.js';
import { clamp01, commonSettings, isOwnLane, laneScope, normalisedDetection, posReference } from './rule-support.js';
import { DEFAULT_PRODUCT_LABELS } from './scan-avoidance.js';

const configSchema = z.strictObject({
  labels: z.array(z.string().min(1)).min(1).default(DEFAULT_PRODUCT_LABELS).describe('object classes that are products'),
  minUnscanned: z.number().int().min(1).max(100).default(2).describe('bagged products without a sale line, within one transaction, before the rule fires'),
  toleranceSeconds: z.number().nonnegative().max(60).default(4).describe('a sale line counts when its `at` is this close to the product’s pass'),
  posDelaySeconds: z.number().nonnegative().max(60).default(2).describe('extra wait after the tolerance for POS lines that arrive late'),
  maxPosWaitSeconds: z.number().nonnegative().max(300).default(30).describe('while the lane’s POS sends nothing after a crossing (an outage), wait up to this long for its lines'),
  idleSeconds: z.number().positive().max(3600).default(60).describe('without transaction_start/end on the lane, a gap this long between products starts a new transaction'),
  ...commonSettings('high', 60),
});
export type SweetheartingConfig = z.output<typeof configSchema>;

const NAME = 'sweethearting';
const MEMORY_MS = 30 * 60_000;
const TRANSACTION_MARKS = new Set(['transaction_start', 'transaction_end'] as const);

/** The unscanned products of one transaction (or idle-separated run of products). */
interface TransactionTally {
  readonly key: string;
  readonly start: LanePosEvent | undefined;
  readonly unscanned: Passage[];
  lastAt: number;
  hasFired: boolean;
}

class SweetheartingRule implements Rule {
  readonly name = NAME;
  private readonly checkout: CheckoutTracker;
  private readonly marks: PosBuffer;
  private readonly gate: HitGate;
  /** Unmatched scanner passes whose product has not reached bagging yet. */
  private readonly awaitingBagging = new Map<number, Passage>();
  private readonly tallies = new Map<string, TransactionTally>();
  private idleRun: { start: number; last: number } | undefined;

  constructor(
    private readonly config: SweetheartingConfig,
    private readonly env: RuleEnvironment,
  ) {
    const toleranceMs = config.toleranceSeconds * 1000;
    const posDelayMs = config.posDelaySeconds * 1000;
    this.checkout = new CheckoutTracker({ labels: config.labels, toleranceMs, posDelayMs, maxPosWaitMs: config.maxPosWaitSeconds * 1000, memoryMs: 120_000 + toleranceMs + posDelayMs }, env);
    this.marks = new PosBuffer(isOwnLane(env), TRANSACTION_MARKS);
    this.gate = new HitGate(config.cooldownSeconds * 1000, MEMORY_MS);
  }

  evaluate(input: RuleInput): RuleHit[] {
    this.marks.add(input.pos);
    const { passages, arrivals } = this.checkout.update(input);
    const bagged: Passage[] = [];
    for (const passage of passages) {
      this.followIdleRun(passage.from);
      if (passage.sale !== undefined) continue;
      if (passage.route === 'skip' || passage.baggedAt !== undefined) bagged.push(passage);
      else this.awaitingBagging.set(passage.track.id, passage);
    }
    for (const arrival of arrivals) {
      const waiting = this.awaitingBagging.get(arrival.track.id);
      if (waiting === undefined) continue;
      this.awaitingBagging.delete(arrival.track.id);
      bagged.push({ ...waiting, baggedAt: arrival.at });
    }
    const hits = bagged.flatMap((p) => this.count(p, input));
    this.forgetBefore(input.at);
    return this.gate.filter(hits.map((hit) => ({ hit, scope: laneScope(this.env) })));
  }

  reset(): void {
    this.checkout.reset();
    this.marks.reset();
    this.gate.reset();
    this.awaitingBagging.clear();
    this.tallies.clear();
    this.idleRun = undefined;
  }

  private followIdleRun(at: number): void {
    const idleMs = this.config.idleSeconds * 1000;
    if (this.idleRun === undefined || at - this.idleRun.last > idleMs) this.idleRun = { start: at, last: at };
    else this.idleRun.last = Math.max(this.idleRun.last, at);
  }

  /** The transaction a pass at `at` belongs to: the lane's open transaction, else the idle-separated run. */
  private transactionAt(at: number): { key: string; start: LanePosEvent | undefined } {
    const last = this.marks.between(Number.NEGATIVE_INFINITY, at).at(-1);
    // A POS that writes the start with the first line may stamp it just after the first product's pass.
    const justAfter = this.marks.between(at, at + this.config.toleranceSeconds * 1000).find((m) => m.kind === 'transaction_start');
    const start = last?.kind === 'transaction_start' ? last : justAfter;
    if (start !== undefined) return { key: `tx:${start.workstationId}:${start.sequenceNumber ?? start.at}`, start };
    return { key: `run:${this.idleRun?.start ?? at}`, start: undefined };
  }

  private count(passage: Passage, input: RuleInput): RuleHit[] {
    const { key, start } = this.transactionAt(passage.from);
    const tally = this.tallies.get(key) ?? { key, start, unscanned: [], lastAt: passage.from, hasFired: false };
    this.tallies.set(key, tally);
    tally.unscanned.push(passage);
    tally.lastAt = Math.max(tally.lastAt, passage.from);
    if (tally.hasFired || tally.unscanned.length < this.config.minUnscanned) return [];
    tally.hasFired = true;
    return [this.hitFor(tally, input)];
  }

  private hitFor(tally: TransactionTally, input: RuleInput): RuleHit {
    const items = tally.unscanned;
    const first = items[0];
    const meanScore = items.reduce((sum, p) => sum + p.track.meanScore, 0) / items.length;
    const skipped = items.filter((p) => p.route === 'skip').length;
    const operator = tally.start?.operatorId ?? null;
    const where = tally.start === undefined ? 'in one run of products at the lane' : `in transaction ${tally.start.sequenceNumber ?? '(unnumbered)'}`;
    return {
      rule: NAME,
      trackId: first?.track.id,
      zoneType: 'bagging',
      label: first?.track.label,
      since: first?.from ?? input.at,
      at: input.at,
      confidence: clamp01(meanScore * Math.min(0.95, 0.6 + 0.1 * items.length)),
      severity: this.config.severity,
      explanation:
        `${items.length} products reached bagging ${where} with no sale line within ${this.config.toleranceSeconds} s ` +
        `(tracks ${items.map((p) => p.track.id).join(', ')}${skipped > 0 ? `; ${skipped} never passed the scanner` : ''})` +
        (operator === null ? '' : `; operator ${operator}`),
      evidence: { from: (first?.from ?? input.at) - 2000, to: Math.max(...items.map((p) => p.baggedAt ?? p.to)) + 2000 },
      detections: items.map((p) => normalisedDetection(p.track, input.frame)),
      pos: tally.start === undefined ? [] : [posReference(tally.start)],
      attributes: { unscannedCount: items.length, skippedScanner: skipped, operatorId: operator, transaction: tally.start?.sequenceNumber ?? null },
      dedupKey: `${NAME}:${this.env.laneId ?? ''}:${tally.key}`,
    };
  }

  private forgetBefore(now: number): void {
    this.marks.forgetBefore(now - MEMORY_MS);
    for (const [key, tally] of this.tallies) if (tally.lastAt < now - MEMORY_MS) this.tallies.delete(key);
    for (const [id, passage] of this.awaitingBagging) if (passage.to < now - 120_000) this.awaitingBagging.delete(id);
  }
}

/** Several products of one transaction reach bagging with no sale line: the cashier passes goods for free. */
export const sweetheartingRule: RuleDefinition<SweetheartingConfig> = {
  name: NAME,
  description: 'at least N products of one transaction reach bagging with no matching sale line',
  configSchema,
  create: (config, env) => new SweetheartingRule(config, env),
};
