import { z } from 'zod';
import { severitySchema } from '../../contracts/index.js';
import type { ZoneVisit } from '../tracking/index.js';
import { zoneTypeSchema } from '../tracking/index.js';
import { clockFormatter, hoursSchema, isWithinHours, timeZoneSchema } from './local-time.js';
import type { Rule, RuleDefinition, RuleHit, RuleInput } from './rule.js';
import { clamp01, normalisedDetection } from './rule-support.js';

const configSchema = z.strictObject({
  zoneType: zoneTypeSchema.describe('zones of this type are watched'),
  zones: z.array(z.string().min(1)).min(1).optional().describe('only these zone names (default: every zone of the type)'),
  labels: z.array(z.string().min(1)).min(1).default(['person']).describe('object classes the rule applies to'),
  minSeconds: z.number().positive().max(86_400).describe('stay longer than this before the rule fires'),
  hours: hoursSchema.optional().describe('only fire within these local hours'),
  timezone: timeZoneSchema.optional().describe('overrides the store’s timezone for `hours`'),
  severity: severitySchema.default('medium').describe('severity of the incidents it raises'),
});
export type ZoneDwellConfig = z.output<typeof configSchema>;

class ZoneDwellRule implements Rule {
  readonly name = 'zone_dwell';
  /** Visits already reported, keyed by track, zone and entry time: one hit per visit. */
  private readonly fired = new Set<string>();
  private readonly formatter: Intl.DateTimeFormat;

  constructor(
    private readonly config: ZoneDwellConfig,
    timezone: string,
  ) {
    this.formatter = clockFormatter(config.timezone ?? timezone);
  }

  private applies(visit: ZoneVisit): boolean {
    const c = this.config;
    return visit.exitedAt === undefined && visit.zoneType === c.zoneType && c.labels.includes(visit.label) && (c.zones === undefined || c.zones.includes(visit.zone));
  }

  evaluate(input: RuleInput): RuleHit[] {
    const hits: RuleHit[] = [];
    const live = new Set<string>();
    const isOpenHour = this.config.hours === undefined || isWithinHours(input.at, this.config.hours, this.formatter);
    for (const visit of input.visits) {
      if (!this.applies(visit)) continue;
      const key = `${visit.trackId}\u0000${visit.zone}\u0000${visit.enteredAt}`;
      live.add(key);
      if (this.fired.has(key) || !isOpenHour || input.at - visit.enteredAt < this.config.minSeconds * 1000) continue;
      const track = input.tracks.find((t) => t.id === visit.trackId);
      if (track === undefined) continue;
      this.fired.add(key);
      hits.push({
        rule: this.name,
        trackId: track.id,
        zone: visit.zone,
        zoneType: visit.zoneType,
        label: track.label,
        since: visit.enteredAt,
        at: input.at,
        confidence: clamp01(track.meanScore),
        severity: this.config.severity,
        explanation: `${track.label} ${track.id} has stayed in ${visit.zone} (${visit.zoneType}) for ${Math.round((input.at - visit.enteredAt) / 1000)} s, longer than ${this.config.minSeconds} s`,
        evidence: { from: visit.enteredAt, to: input.at },
        detections: [normalisedDetection(track, input.frame)],
        pos: [],
        attributes: { dwellSeconds: Math.round((input.at - visit.enteredAt) / 100) / 10 },
        dedupKey: `zone_dwell:${key}`,
      });
    }
    // Forget visits that ended, so memory follows the open visits and a new visit can fire again.
    for (const key of this.fired) if (!live.has(key)) this.fired.delete(key);
    return hits;
  }
}

/** A class stays in a zone type longer than N seconds, optionally only within local opening hours. */
export const zoneDwellRule: RuleDefinition<ZoneDwellConfig> = {
  name: 'zone_dwell',
  description: 'an object of the given classes stays in a zone of the given type longer than minSeconds',
  configSchema,
  create: (config, env) => new ZoneDwellRule(config, env.timezone),
};
