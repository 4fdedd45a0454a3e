import { z } from 'zod';
import { zoneTypeSchema, type Track, type ZoneType } from '../tracking/index.js';
import { zonesAt } from '../tracking/index.js';
import { HitGate } from './cooldown.js';
import type { Keypoint, Rule, RuleDefinition, RuleEnvironment, RuleHit, RuleInput } from './rule.js';
import { boxArea, boxCentre, clamp01, commonSettings, normalisedDetection, overlapArea, seconds } from './rule-support.js';
import { DEFAULT_PRODUCT_LABELS } from './scan-avoidance.js';
import { isInRegion, torsoFromBox, torsoFromKeypoints, wristsOf, type Region } from './torso.js';

const configSchema = z.strictObject({
  labels: z.array(z.string().min(1)).min(1).default(DEFAULT_PRODUCT_LABELS).describe('object classes that are products'),
  personLabels: z.array(z.string().min(1)).min(1).default(['person']).describe('object classes that are people'),
  minOverlap: z.number().positive().max(1).default(0.3).describe('share of the product box inside the person box for it to count as held'),
  minHeldSeconds: z.number().nonnegative().max(60).default(0.5).describe('held at least this long before it vanished'),
  missingSeconds: z.number().positive().max(30).default(1).describe('a product unseen this long has vanished, even before the tracker drops it'),
  personStaysSeconds: z.number().nonnegative().max(30).default(1).describe('the holder must stay in view this long after the product vanished (a product carried out of view with its holder is not hidden)'),
  excludedZoneTypes: z.array(zoneTypeSchema).default(['scanner', 'bagging', 'shelf']).describe('a product vanishing in these zones is put down or scanned, not concealed'),
  torsoBand: z
    .strictObject({ top: z.number().min(0).max(1), bottom: z.number().min(0).max(1) })
    .refine((b) => b.top < b.bottom, { message: 'top must be above bottom' })
    .default({ top: 0.2, bottom: 0.65 })
    .describe('without keypoints: the torso as fractions of the person box’s height, from its top'),
  minKeypointScore: z.number().min(0).max(1).default(0.3).describe('keypoints scored lower are ignored'),
  wristWindowSeconds: z.number().positive().max(10).default(1).describe('the wrist must reach the torso this close to the product vanishing'),
  ...commonSettings('high', 30),
});
export type ConcealmentConfig = z.output<typeof configSchema>;

const NAME = 'concealment';
const MEMORY_MS = 60_000;
const POSE_MEMORY_MS = 10_000;

/** A product as last seen held by a person. */
interface Holding {
  readonly product: Track;
  readonly person: Track;
  readonly since: number;
}

interface PoseSample {
  readonly at: number;
  readonly keypoints: readonly Keypoint[];
}

type Method = 'keypoints' | 'box';

class ConcealmentRule implements Rule {
  readonly name = NAME;
  private readonly gate: HitGate;
  private readonly products: ReadonlySet<string>;
  private readonly persons: ReadonlySet<string>;
  private readonly holdings = new Map<number, Holding>();
  private readonly poses = new Map<number, PoseSample[]>();
  private readonly judged = new Map<number, number>();
  /** Products that vanished while held, waiting to see whether their holder stays in view. */
  private readonly vanished = new Map<number, Holding>();

  constructor(
    private readonly config: ConcealmentConfig,
    private readonly env: RuleEnvironment,
  ) {
    this.gate = new HitGate(config.cooldownSeconds * 1000);
    this.products = new Set(config.labels);
    this.persons = new Set(config.personLabels);
  }

  evaluate(input: RuleInput): RuleHit[] {
    this.recordPoses(input);
    const people = input.tracks.filter((t) => this.persons.has(t.label) && t.state === 'confirmed');
    for (const product of input.tracks) if (this.isLiveProduct(product)) this.follow(product, people);
    const vanished = [
      ...input.removed.filter((t) => this.products.has(t.label)),
      ...input.tracks.filter((t) => this.products.has(t.label) && input.at - t.lastSeenAt >= this.config.missingSeconds * 1000),
    ];
    for (const product of vanished) this.noteVanished(product.id, input.at);
    for (const product of input.removed) this.holdings.delete(product.id);
    const hits = [...this.vanished.keys()].flatMap((productId) => this.judgeWhenDue(productId, input));
    this.forget(input.at);
    return this.gate.filter(hits.map((hit) => ({ hit, scope: `person:${hit.attributes['personTrackId'] ?? ''}` })));
  }

  reset(): void {
    this.gate.reset();
    this.holdings.clear();
    this.poses.clear();
    this.judged.clear();
    this.vanished.clear();
  }

  private isLiveProduct(track: Track): boolean {
    return this.products.has(track.label) && track.state === 'confirmed' && track.missedFrames === 0;
  }

  /** Who holds the product now: the person whose box covers most of it, at least `minOverlap` of it. */
  private follow(product: Track, people: readonly Track[]): void {
    const area = boxArea(product.lastDetection.box);
    let best: { person: Track; share: number } | undefined;
    for (const person of people) {
      const share = area > 0 ? overlapArea(product.lastDetection.box, person.box) / area : 0;
      if (share >= this.config.minOverlap && (best === undefined || share > best.share)) best = { person, share };
    }
    const previous = this.holdings.get(product.id);
    if (best === undefined) this.holdings.delete(product.id);
    else this.holdings.set(product.id, { product, person: best.person, since: previous?.person.id === best.person.id ? previous.since : product.lastSeenAt });
  }

  private recordPoses(input: RuleInput): void {
    for (const [personId, keypoints] of input.keypoints ?? []) {
      const samples = this.poses.get(personId) ?? [];
      samples.push({ at: input.at, keypoints });
      this.poses.set(personId, samples);
    }
  }

  private noteVanished(productId: number, now: number): void {
    const holding = this.holdings.get(productId);
    if (holding === undefined || this.judged.has(productId)) return;
    this.judged.set(productId, now);
    this.holdings.delete(productId);
    this.vanished.set(productId, holding);
  }

  /** Judged once the holder has been seen `personStaysSeconds` after the product; dropped if the holder left too. */
  private judgeWhenDue(productId: number, input: RuleInput): RuleHit[] {
    const holding = this.vanished.get(productId);
    if (holding === undefined) return [];
    const staysUntil = holding.product.lastSeenAt + this.config.personStaysSeconds * 1000;
    const person = input.tracks.find((t) => t.id === holding.person.id);
    const hasStayed = person !== undefined && person.lastSeenAt >= staysUntil;
    const hasLeft = person === undefined || input.at > staysUntil + this.config.missingSeconds * 1000;
    if (!hasStayed && !hasLeft) return [];
    this.vanished.delete(productId);
    return hasStayed ? this.judge(holding, input) : [];
  }

  private judge(holding: Holding, input: RuleInput): RuleHit[] {
    const heldMs = holding.product.lastSeenAt - holding.since;
    if (heldMs < this.config.minHeldSeconds * 1000 || this.isInExcludedZone(holding, input)) return [];
    const method = this.vanishedAtTorso(holding, input);
    return method === undefined ? [] : [this.hitFor(holding, method, input)];
  }

  private isInExcludedZone(holding: Holding, input: RuleInput): boolean {
    const [cx, cy] = boxCentre(holding.product.lastDetection.box);
    const excluded = new Set<ZoneType>(this.config.excludedZoneTypes);
    return zonesAt([cx / input.frame.width, cy / input.frame.height], input.zones).some((z) => excluded.has(z.type));
  }

  /** How the rule saw the product go to the torso, or undefined when it did not. */
  private vanishedAtTorso(holding: Holding, input: RuleInput): Method | undefined {
    const windowMs = this.config.wristWindowSeconds * 1000;
    const lastSeen = holding.product.lastSeenAt;
    const samples = (this.poses.get(holding.person.id) ?? []).filter((s) => s.at >= holding.since - windowMs);
    const withTorso = samples.flatMap((s) => {
      const torso = torsoFromKeypoints(s.keypoints, this.config.minKeypointScore);
      return torso === undefined ? [] : [{ ...s, torso }];
    });
    if (withTorso.length > 0) return this.wristEnteredTorso(withTorso, lastSeen - windowMs) ? 'keypoints' : undefined;
    const [cx, cy] = boxCentre(holding.product.lastDetection.box);
    const torso = torsoFromBox(holding.person.box, input.frame, this.config.torsoBand);
    return isInRegion(cx / input.frame.width, cy / input.frame.height, torso) ? 'box' : undefined;
  }

  /** A wrist outside the torso earlier, inside it at some sample from `from` on. */
  private wristEnteredTorso(samples: ReadonlyArray<PoseSample & { torso: Region }>, from: number): boolean {
    const minScore = this.config.minKeypointScore;
    const isInside = (s: PoseSample & { torso: Region }, side: string): boolean | undefined => {
      const wrist = wristsOf(s.keypoints, minScore).find((k) => k.name === side);
      return wrist === undefined ? undefined : isInRegion(wrist.x, wrist.y, s.torso);
    };
    return ['left_wrist', 'right_wrist'].some((side) => {
      const firstOutside = samples.findIndex((s) => isInside(s, side) === false);
      return firstOutside >= 0 && samples.slice(firstOutside + 1).some((s) => s.at >= from && isInside(s, side) === true);
    });
  }

  private hitFor(holding: Holding, method: Method, input: RuleInput): RuleHit {
    const { product, person } = holding;
    const lastSeen = product.lastSeenAt;
    const how = method === 'keypoints' ? 'a wrist moved into the torso region as it vanished' : 'it was last seen in the torso band of the person’s box';
    return {
      rule: NAME,
      trackId: person.id,
      label: person.label,
      since: holding.since,
      at: input.at,
      confidence: clamp01(product.meanScore * (method === 'keypoints' ? 0.85 : 0.65)),
      severity: this.config.severity,
      explanation: `${product.label} ${product.id}, held by ${person.label} ${person.id} for ${seconds(lastSeen - holding.since)} s, vanished at the torso (${how}), away from the checkout and shelves`,
      evidence: { from: holding.since - 2000, to: Math.max(input.at, lastSeen + 2000) },
      detections: [normalisedDetection(person, input.frame), normalisedDetection(product, input.frame)],
      pos: [],
      attributes: { productTrackId: product.id, personTrackId: person.id, method, heldSeconds: seconds(lastSeen - holding.since) },
      dedupKey: `${NAME}:${this.env.laneId ?? ''}:${product.id}:${lastSeen}`,
    };
  }

  /** Judgements and holdings last a minute; poses only as long as a wrist path needs. */
  private forget(now: number): void {
    for (const [id, judgedAt] of this.judged) if (judgedAt < now - MEMORY_MS) this.judged.delete(id);
    for (const [id, holding] of this.holdings) if (holding.product.lastSeenAt < now - MEMORY_MS) this.holdings.delete(id);
    const poseFrom = now - POSE_MEMORY_MS - this.config.wristWindowSeconds * 1000;
    for (const [id, samples] of this.poses) {
      const kept = samples.filter((s) => s.at >= poseFrom);
      if (kept.length === 0) this.poses.delete(id);
      else this.poses.set(id, kept);
    }
  }
}

/** A product held by a person vanishes at their torso, away from the checkout and shelves. */
export const concealmentRule: RuleDefinition<ConcealmentConfig> = {
  name: NAME,
  description: 'a product held by a person vanishes at their torso (pocket, bag, clothing) away from checkout and shelves',
  configSchema,
  create: (config, env) => new ConcealmentRule(config, env),
};
