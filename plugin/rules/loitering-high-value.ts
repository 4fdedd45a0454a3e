import { z } from 'zod';
import { HitGate } from './cooldown.js';
import { hoursSchema, timeZoneSchema } from './local-time.js';
import type { Rule, RuleDefinition, RuleEnvironment, RuleHit, RuleInput } from './rule.js';
import { commonSettings } from './rule-support.js';
import { zoneDwellRule } from './zone-dwell.js';

const configSchema = z.strictObject({
  labels: z.array(z.string().min(1)).min(1).default(['person']).describe('object classes the rule applies to (staff detected as `staff` are not included)'),
  zones: z.array(z.string().min(1)).min(1).optional().describe('only these high-value zones (default: every zone of type high_value)'),
  minSeconds: z.number().positive().max(86_400).default(60).describe('stay longer than this before the rule fires'),
  hours: hoursSchema.optional().describe('only fire within these local hours'),
  timezone: timeZoneSchema.optional().describe('overrides the store’s timezone for `hours`'),
  ...commonSettings('medium', 60),
});
export type LoiteringHighValueConfig = z.output<typeof configSchema>;

const NAME = 'loitering_high_value';

/** zone_dwell on high_value zones, with its own name, wording and cooldown per zone. */
class LoiteringHighValueRule implements Rule {
  readonly name = NAME;
  private readonly dwell: Rule;
  private readonly gate: HitGate;

  constructor(
    private readonly config: LoiteringHighValueConfig,
    env: RuleEnvironment,
  ) {
    const { cooldownSeconds, ...dwellSettings } = config;
    this.dwell = zoneDwellRule.create({ ...dwellSettings, zoneType: 'high_value' }, env);
    this.gate = new HitGate(cooldownSeconds * 1000);
  }

  evaluate(input: RuleInput): RuleHit[] {
    const hits = this.dwell.evaluate(input).map((hit) => this.renamed(hit));
    return this.gate.filter(hits.map((hit) => ({ hit, scope: `zone:${hit.zone ?? ''}` })));
  }

  reset(): void {
    this.dwell.reset?.();
    this.gate.reset();
  }

  private renamed(hit: RuleHit): RuleHit {
    const stayed = Math.round((hit.at - hit.since) / 1000);
    return {
      ...hit,
      rule: NAME,
      explanation: `${hit.label ?? 'person'} ${hit.trackId ?? ''} has stayed in the high-value zone ${hit.zone ?? ''} for ${stayed} s, longer than ${this.config.minSeconds} s`,
      dedupKey: hit.dedupKey.replace(/^zone_dwell:/, `${NAME}:`),
    };
  }
}

/** Someone lingers in a high-value zone (spirits, electronics, razors) longer than a shopper needs. */
export const loiteringHighValueRule: RuleDefinition<LoiteringHighValueConfig> = {
  name: NAME,
  description: 'a person stays in a high-value zone longer than minSeconds',
  configSchema,
  create: (config, env) => new LoiteringHighValueRule(config, env),
};
