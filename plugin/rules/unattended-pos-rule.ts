import { z } from 'zod';
import type { LanePosEvent, PosLaneEventKind, Severity } from '../../contracts/index.js';
import type { ZoneType } from '../tracking/index.js';
import { anchorPoint, DEFAULT_CENTRE_LABELS, zonesAt } from '../tracking/index.js';
import { HitGate } from './cooldown.js';
import { PosBuffer } from './pos-buffer.js';
import { PresenceTimeline } from './presence-timeline.js';
import type { Rule, RuleEnvironment, RuleHit, RuleInput } from './rule.js';
import { commonSettings, describePos, isOwnLane, laneScope, posEventKey, posReference } from './rule-support.js';

/** The settings of a rule that judges a POS event by whether a customer was at the lane. */
export function unattendedPosSchema(defaultSeverity: Severity, defaultCooldownSeconds: number) {
  return z.strictObject({
    labels: z.array(z.string().min(1)).min(1).default(['person']).describe('object classes that are people'),
    zones: z.array(z.string().min(1)).min(1).optional().describe('only these customer zones (default: every zone of type customer)'),
    graceSeconds: z.number().nonnegative().max(120).default(5).describe('a customer seen this close to the POS event’s `at` counts as present'),
    maxPosDelaySeconds: z.number().positive().max(3600).default(300).describe('how late a POS event may arrive and still be judged (the presence timeline is kept this long)'),
    ...commonSettings(defaultSeverity, defaultCooldownSeconds),
  });
}
export type UnattendedPosConfig = z.output<ReturnType<typeof unattendedPosSchema>>;

export interface UnattendedPosSpec {
  readonly name: string;
  readonly kinds: ReadonlySet<PosLaneEventKind>;
}

const CUSTOMER: ZoneType = 'customer';

/**
 * A POS event of some kinds on the lane while nobody stood in the customer zone, from `graceSeconds` before to
 * `graceSeconds` after it. An event is judged once the frames up to `at + grace` have been seen; one the camera did
 * not see (before the stream started, or in a gap) is skipped rather than guessed.
 */
export class UnattendedPosRule implements Rule {
  readonly name: string;
  private readonly events: PosBuffer;
  private readonly presence: PresenceTimeline;
  private readonly gate: HitGate;
  private readonly labels: ReadonlySet<string>;
  private readonly judged = new Set<string>();

  constructor(
    spec: UnattendedPosSpec,
    private readonly config: UnattendedPosConfig,
    private readonly env: RuleEnvironment,
  ) {
    this.name = spec.name;
    this.events = new PosBuffer(isOwnLane(env), spec.kinds);
    this.presence = new PresenceTimeline(config.maxPosDelaySeconds * 1000 + config.graceSeconds * 2000);
    this.gate = new HitGate(config.cooldownSeconds * 1000, Math.max(15 * 60_000, config.maxPosDelaySeconds * 2000));
    this.labels = new Set(config.labels);
  }

  evaluate(input: RuleInput): RuleHit[] {
    this.presence.record(input.at, this.customersIn(input));
    this.events.add(input.pos);
    const graceMs = this.config.graceSeconds * 1000;
    const hits: RuleHit[] = [];
    for (const event of this.events.between(Number.NEGATIVE_INFINITY, input.at - graceMs)) {
      const key = posEventKey(event);
      if (this.judged.has(key)) continue;
      this.judged.add(key);
      const hit = this.judge(event, input);
      if (hit !== undefined) hits.push(hit);
    }
    this.forgetBefore(input.at - this.config.maxPosDelaySeconds * 1000);
    return this.gate.filter(hits.map((hit) => ({ hit, scope: laneScope(this.env) })));
  }

  reset(): void {
    this.events.reset();
    this.presence.reset();
    this.gate.reset();
    this.judged.clear();
  }

  private customersIn(input: RuleInput): number[] {
    const centre = new Set(DEFAULT_CENTRE_LABELS);
    return input.tracks
      .filter((t) => t.state === 'confirmed' && this.labels.has(t.label))
      .filter((t) => zonesAt(anchorPoint(t.label, t.box, input.frame, centre), input.zones).some((z) => z.type === CUSTOMER && (this.config.zones === undefined || this.config.zones.includes(z.name))))
      .map((t) => t.id);
  }

  private judge(event: LanePosEvent, input: RuleInput): RuleHit | undefined {
    const graceMs = this.config.graceSeconds * 1000;
    const from = event.at - graceMs;
    const to = event.at + graceMs;
    if (!this.presence.covers(from, to) || this.presence.presentBetween(from, to).length > 0) return undefined;
    // Someone just outside the grace window makes the case less clear-cut than a lane empty all along.
    const nearby = this.presence.presentBetween(from - graceMs, to + graceMs).length;
    return {
      rule: this.name,
      zoneType: CUSTOMER,
      since: event.at,
      at: input.at,
      confidence: nearby > 0 ? 0.6 : 0.85,
      severity: this.config.severity,
      explanation: `POS ${describePos(event)} while nobody was in the customer area, from ${this.config.graceSeconds} s before to ${this.config.graceSeconds} s after it`,
      evidence: { from, to },
      detections: [],
      pos: [posReference(event)],
      attributes: { posKind: event.kind, graceSeconds: this.config.graceSeconds, customerNearby: nearby > 0, operatorId: event.operatorId, amount: event.amount },
      dedupKey: `${this.name}:${posEventKey(event)}`,
    };
  }

  private forgetBefore(at: number): void {
    this.events.forgetBefore(at);
    if (this.events.size === 0) this.judged.clear();
    else {
      const kept = new Set(this.events.between(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY).map(posEventKey));
      for (const key of this.judged) if (!kept.has(key)) this.judged.delete(key);
    }
  }
}
