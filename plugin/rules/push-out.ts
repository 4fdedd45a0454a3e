import { z } from 'zod';
import type { Track } from '../tracking/index.js';
import { HitGate } from './cooldown.js';
import { PosBuffer } from './pos-buffer.js';
import type { Rule, RuleDefinition, RuleEnvironment, RuleHit, RuleInput } from './rule.js';
import { boxArea, clamp01, commonSettings, normalisedDetection, overlapArea, seconds } from './rule-support.js';
import { DEFAULT_PRODUCT_LABELS } from './scan-avoidance.js';
import { TrackZoneHistory } from './zone-history.js';

const configSchema = z.strictObject({
  labels: z.array(z.string().min(1)).min(1).default(['cart', 'shopping cart']).describe('object classes that are carts'),
  zones: z.array(z.string().min(1)).min(1).optional().describe('only these exit zones (default: every zone of type exit)'),
  requireLoaded: z.boolean().default(false).describe('only carts seen with a product detection over them'),
  productLabels: z.array(z.string().min(1)).min(1).default(DEFAULT_PRODUCT_LABELS).describe('with requireLoaded: classes that load a cart'),
  windowMinutes: z.number().positive().max(60).default(5).describe('a completed transaction (transaction_end or tender) on any lane this recent clears the cart'),
  posDelaySeconds: z.number().nonnegative().max(120).default(3).describe('wait this long after the exit crossing for POS events that arrive late'),
  ...commonSettings('high', 30),
});
export type PushOutConfig = z.output<typeof configSchema>;

const NAME = 'push_out';
const COMPLETIONS = new Set(['transaction_end', 'tender'] as const);
const LOADED_SHARE = 0.5;

interface ExitCrossing {
  readonly cart: Track;
  readonly zone: string;
  readonly at: number;
  readonly isLoaded: boolean;
}

class PushOutRule implements Rule {
  readonly name = NAME;
  private readonly carts: TrackZoneHistory;
  /** Completed transactions of every lane of the store: exit cameras hear them all. */
  private readonly completions = new PosBuffer(() => true, COMPLETIONS);
  private readonly gate: HitGate;
  private readonly products: ReadonlySet<string>;
  private readonly loadedAt = new Map<number, number>();
  private readonly pending: ExitCrossing[] = [];
  private watchingSince: number | undefined;

  constructor(
    private readonly config: PushOutConfig,
    private readonly env: RuleEnvironment,
  ) {
    this.carts = new TrackZoneHistory({ labels: config.labels, keepMs: 60_000 });
    this.gate = new HitGate(config.cooldownSeconds * 1000);
    this.products = new Set(config.productLabels);
  }

  private get windowMs(): number {
    return this.config.windowMinutes * 60_000;
  }

  evaluate(input: RuleInput): RuleHit[] {
    this.watchingSince ??= input.at;
    this.completions.add(input.pos);
    this.noteLoadedCarts(input);
    for (const step of this.carts.update(input)) {
      const { stay, track } = step;
      if (step.kind !== 'enter' || stay.type !== 'exit' || (this.config.zones !== undefined && !this.config.zones.includes(stay.zone))) continue;
      this.pending.push({ cart: track, zone: stay.zone, at: stay.enteredAt, isLoaded: this.loadedAt.has(track.id) });
    }
    const ripeBy = input.at - this.config.posDelaySeconds * 1000;
    const ripe = this.pending.filter((c) => c.at <= ripeBy);
    this.pending.splice(0, this.pending.length, ...this.pending.filter((c) => c.at > ripeBy));
    const hits = ripe.filter((c) => this.isUnpaid(c)).map((c) => this.hitFor(c, input));
    this.forget(input.at);
    return this.gate.filter(hits.map((hit) => ({ hit, scope: `zone:${hit.zone ?? ''}` })));
  }

  reset(): void {
    this.carts.reset();
    this.completions.reset();
    this.gate.reset();
    this.loadedAt.clear();
    this.pending.length = 0;
    this.watchingSince = undefined;
  }

  private noteLoadedCarts(input: RuleInput): void {
    const products = input.tracks.filter((t) => this.products.has(t.label) && t.missedFrames === 0);
    for (const cart of input.tracks) {
      if (!this.config.labels.includes(cart.label)) continue;
      const isLoaded = products.some((p) => boxArea(p.box) > 0 && overlapArea(p.box, cart.box) / boxArea(p.box) >= LOADED_SHARE);
      if (isLoaded) this.loadedAt.set(cart.id, input.at);
    }
  }

  private isUnpaid(crossing: ExitCrossing): boolean {
    if (this.config.requireLoaded && !crossing.isLoaded) return false;
    const recent = this.completions.between(crossing.at - this.windowMs, crossing.at + this.config.posDelaySeconds * 1000);
    return recent.length === 0;
  }

  private hitFor(crossing: ExitCrossing, input: RuleInput): RuleHit {
    const { cart } = crossing;
    // Right after a (re)start the rule has not heard the whole window of POS events: say so, and trust it less.
    const heardMs = crossing.at - (this.watchingSince ?? crossing.at);
    const isWindowHeard = heardMs >= this.windowMs;
    const heard = isWindowHeard ? '' : ` (POS events heard only for the last ${seconds(heardMs)} s)`;
    return {
      rule: NAME,
      trackId: cart.id,
      zone: crossing.zone,
      zoneType: 'exit',
      label: cart.label,
      since: crossing.at,
      at: input.at,
      confidence: clamp01(cart.meanScore * (isWindowHeard ? 0.8 : 0.5) * (crossing.isLoaded ? 1 : 0.9)),
      severity: this.config.severity,
      explanation: `${crossing.isLoaded ? 'Loaded ' : ''}${cart.label} ${cart.id} crossed ${crossing.zone} with no completed transaction on any lane in the last ${this.config.windowMinutes} min${heard}`,
      evidence: { from: Math.max(cart.firstSeenAt, crossing.at - 10_000), to: crossing.at + 3000 },
      detections: [normalisedDetection(cart, input.frame)],
      pos: [],
      attributes: { isLoaded: crossing.isLoaded, windowMinutes: this.config.windowMinutes, posHeardSeconds: isWindowHeard ? null : seconds(heardMs) },
      dedupKey: `${NAME}:${this.env.laneId ?? ''}:${crossing.zone}:${cart.id}:${crossing.at}`,
    };
  }

  private forget(now: number): void {
    this.completions.forgetBefore(now - this.windowMs - this.config.posDelaySeconds * 1000 - 60_000);
    for (const [id, at] of this.loadedAt) if (at < now - 10 * 60_000) this.loadedAt.delete(id);
  }
}

/** A cart leaves through the exit while no lane of the store has completed a transaction lately. */
export const pushOutRule: RuleDefinition<PushOutConfig> = {
  name: NAME,
  description: 'a cart crosses an exit zone with no completed transaction on any lane in the last minutes',
  configSchema,
  create: (config, env) => new PushOutRule(config, env),
};
