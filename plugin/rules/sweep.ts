import { z } from 'zod';
import type { Track, Zone } from '../tracking/index.js';
import { anchorPoint, pointInPolygon, zonesAt } from '../tracking/index.js';
import { HitGate } from './cooldown.js';
import type { Rule, RuleDefinition, RuleEnvironment, RuleHit, RuleInput } from './rule.js';
import { boxCentre, clamp01, commonSettings, normalisedDetection, seconds } from './rule-support.js';
import { DEFAULT_PRODUCT_LABELS } from './scan-avoidance.js';
import { TrackZoneHistory } from './zone-history.js';

const configSchema = z.strictObject({
  labels: z.array(z.string().min(1)).min(1).default(DEFAULT_PRODUCT_LABELS).describe('object classes that are products'),
  personLabels: z.array(z.string().min(1)).min(1).default(['person']).describe('object classes that are people'),
  staffLabels: z.array(z.string().min(1)).default(['staff']).describe('classes that are staff (a uniform model); never the sweeper'),
  zones: z.array(z.string().min(1)).min(1).optional().describe('only these shelf zones (default: every zone of type shelf)'),
  minProducts: z.number().int().min(2).max(100).default(4).describe('products leaving one shelf zone within the window'),
  windowSeconds: z.number().positive().max(300).default(10).describe('the window the products leave in'),
  suppressWhenStaffPresent: z.boolean().default(true).describe('no hit while staff are at the shelf (restocking, facing)'),
  ...commonSettings('high', 60),
});
export type SweepConfig = z.output<typeof configSchema>;

const NAME = 'sweep';

interface ShelfExit {
  readonly product: Track;
  readonly at: number;
}

/** Who stands at a shelf zone now: customers (candidates for the sweeper) and staff. */
interface ShelfPeople {
  readonly customers: readonly Track[];
  readonly staff: readonly Track[];
}

class SweepRule implements Rule {
  readonly name = NAME;
  private readonly products: TrackZoneHistory;
  private readonly gate: HitGate;
  private readonly exitsByZone = new Map<string, ShelfExit[]>();

  constructor(
    private readonly config: SweepConfig,
    private readonly env: RuleEnvironment,
  ) {
    this.products = new TrackZoneHistory({ labels: config.labels, keepMs: 60_000, isPlacedByCentre: true });
    this.gate = new HitGate(config.cooldownSeconds * 1000);
  }

  evaluate(input: RuleInput): RuleHit[] {
    for (const step of this.products.update(input)) {
      const { stay } = step;
      // A product the tracker lost on the shelf was not taken; only one seen moving out counts.
      if (step.kind !== 'exit' || stay.type !== 'shelf' || stay.endedInside || !this.watches(stay.zone)) continue;
      const exits = this.exitsByZone.get(stay.zone) ?? [];
      exits.push({ product: step.track, at: stay.leftAt ?? input.at });
      this.exitsByZone.set(stay.zone, exits);
    }
    const hits: RuleHit[] = [];
    for (const [zoneName, exits] of this.exitsByZone) {
      const recent = exits.filter((e) => e.at >= input.at - this.config.windowSeconds * 1000);
      this.exitsByZone.set(zoneName, recent);
      const zone = input.zones.find((z) => z.name === zoneName);
      if (zone === undefined || new Set(recent.map((e) => e.product.id)).size < this.config.minProducts) continue;
      const hit = this.judge(zone, recent, input);
      if (hit === undefined) continue;
      hits.push(hit);
      this.exitsByZone.set(zoneName, []);
    }
    for (const [zoneName, exits] of this.exitsByZone) if (exits.length === 0) this.exitsByZone.delete(zoneName);
    return this.gate.filter(hits.map((hit) => ({ hit, scope: `zone:${hit.zone ?? ''}` })));
  }

  reset(): void {
    this.products.reset();
    this.gate.reset();
    this.exitsByZone.clear();
  }

  private watches(zoneName: string): boolean {
    return this.config.zones === undefined || this.config.zones.includes(zoneName);
  }

  private peopleAt(zone: Zone, input: RuleInput): ShelfPeople {
    const staffZones = input.zones.filter((z) => z.type === 'staff');
    const customers: Track[] = [];
    const staff: Track[] = [];
    for (const person of input.tracks) {
      const isStaffLabel = this.config.staffLabels.includes(person.label);
      if (person.state !== 'confirmed' || (!isStaffLabel && !this.config.personLabels.includes(person.label))) continue;
      const feet = anchorPoint(person.label, person.box, input.frame, new Set());
      const [cx, cy] = boxCentre(person.box);
      const centre: [number, number] = [cx / input.frame.width, cy / input.frame.height];
      if (!pointInPolygon(feet[0], feet[1], zone.polygon) && !pointInPolygon(centre[0], centre[1], zone.polygon)) continue;
      if (isStaffLabel || zonesAt(feet, staffZones).length > 0) staff.push(person);
      else customers.push(person);
    }
    return { customers, staff };
  }

  /** A hit when exactly one customer (and, unless allowed, no staff) stands at the shelf. */
  private judge(zone: Zone, exits: readonly ShelfExit[], input: RuleInput): RuleHit | undefined {
    const { customers, staff } = this.peopleAt(zone, input);
    const [sweeper] = customers;
    if (customers.length !== 1 || sweeper === undefined || (this.config.suppressWhenStaffPresent && staff.length > 0)) return undefined;
    const products = [...new Map(exits.map((e) => [e.product.id, e.product])).values()];
    const first = Math.min(...exits.map((e) => e.at));
    const last = Math.max(...exits.map((e) => e.at));
    const meanScore = products.reduce((sum, p) => sum + p.meanScore, 0) / products.length;
    return {
      rule: NAME,
      trackId: sweeper.id,
      zone: zone.name,
      zoneType: 'shelf',
      label: sweeper.label,
      since: first,
      at: input.at,
      confidence: clamp01(Math.min(meanScore, sweeper.meanScore) * Math.min(0.95, 0.5 + 0.1 * products.length)),
      severity: this.config.severity,
      explanation: `${products.length} products left shelf ${zone.name} within ${seconds(last - first)} s while ${sweeper.label} ${sweeper.id} was the only customer there (products ${products.map((p) => p.id).join(', ')})`,
      evidence: { from: first - 3000, to: Math.max(input.at, last + 2000) },
      detections: [normalisedDetection(sweeper, input.frame), ...products.map((p) => normalisedDetection(p, input.frame))],
      pos: [],
      attributes: { productCount: products.length, windowSeconds: this.config.windowSeconds, spanSeconds: seconds(last - first), personTrackId: sweeper.id },
      dedupKey: `${NAME}:${this.env.laneId ?? ''}:${zone.name}:${first}`,
    };
  }
}

/** Many products leave one shelf in a few seconds with a single customer there: a shelf sweep. */
export const sweepRule: RuleDefinition<SweepConfig> = {
  name: NAME,
  description: 'at least N products leave one shelf zone within T seconds while one customer (not staff) is at it',
  configSchema,
  create: (config, env) => new SweepRule(config, env),
};
