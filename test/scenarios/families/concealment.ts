import { lerp, type Point } from '../geometry.js';
import { floorSide } from '../layout.js';
import { Path } from '../path.js';
import type { Actor, Scenario, ScenarioRequest } from '../world.js';
import { handOf, person, PERSON_SIZE, PRODUCT_SIZE, walkSpeed } from './actors.js';
import { draft, finish, SECOND, type Draft } from './common.js';

type Variant = 'conceal' | 'conceal-walking' | 'put-back' | 'carried-out';

/** The product's story: on the shelf, lifted to the hand, carried, then hidden at the torso, put back or carried out. */
interface Handling {
  readonly shelfSpot: Point;
  readonly pickFrom: number;
  readonly pickTo: number;
  /** From `releaseFrom` to `releaseTo` the product moves from the hand to its end point (torso or shelf). */
  readonly releaseFrom: number;
  readonly releaseTo: number;
  readonly vanishAt: number | undefined;
  readonly endPoint: 'torso' | 'shelf' | 'hand';
}

const torsoOf = (feet: Point): Point => [feet[0], feet[1] - PERSON_SIZE[1] * 0.5];

function productAt(walker: Path, h: Handling, t: number): Point | undefined {
  if (h.vanishAt !== undefined && t >= h.vanishAt) return undefined;
  const feet = walker.at(t);
  if (t < h.pickFrom || feet === undefined) return t < h.pickFrom ? h.shelfSpot : undefined;
  const hand = handOf(feet, 'chest');
  if (t < h.pickTo) return lerp(h.shelfSpot, hand, (t - h.pickFrom) / (h.pickTo - h.pickFrom));
  if (t < h.releaseFrom || h.endPoint === 'hand') return hand;
  const end = h.endPoint === 'torso' ? torsoOf(feet) : h.shelfSpot;
  return lerp(hand, end, Math.min(1, (t - h.releaseFrom) / (h.releaseTo - h.releaseFrom)));
}

/** The shopper: walks to the shelf, picks the product, then walks to the aisle (or out of view) per variant. */
function shopperPath(d: Draft, variant: Variant): { walker: Path; h: Handling } {
  const { rng, layout } = d;
  const stand: Point = [rng.range(layout.highValue.x1 + 0.04, layout.staff.x2 - 0.06), layout.shelf.y2 + 0.05];
  const shelfSpot: Point = [stand[0] + 0.03, layout.shelf.y2 - 0.05];
  const side = floorSide(layout);
  const walker = new Path(d.start + rng.range(1, 4) * SECOND, [side, stand[1]]).moveTo(stand, walkSpeed(rng)).wait(rng.range(1000, 3000));
  const pickFrom = walker.time;
  const pickTo = pickFrom + rng.range(1000, 2000);
  walker.waitUntil(pickTo + rng.range(1000, 3000));
  if (variant === 'put-back') {
    const releaseFrom = walker.time;
    walker.wait(rng.range(3000, 5000)).moveTo([side, stand[1]], walkSpeed(rng)).vanish();
    return { walker, h: { shelfSpot, pickFrom, pickTo, releaseFrom, releaseTo: releaseFrom + 1500, vanishAt: undefined, endPoint: 'shelf' } };
  }
  const aisle: Point = [rng.range(layout.aisle.x1 + 0.04, layout.aisle.x2 - 0.04), rng.range(layout.aisle.y1 + 0.03, layout.aisle.y2)];
  walker.moveTo(aisle, walkSpeed(rng));
  if (variant === 'carried-out') {
    walker.wait(rng.range(1000, 3000)).moveTo([side * 1.1 - 0.05, aisle[1]], walkSpeed(rng)).vanish();
    return { walker, h: { shelfSpot, pickFrom, pickTo, releaseFrom: Infinity, releaseTo: Infinity, vanishAt: undefined, endPoint: 'hand' } };
  }
  const isWalking = variant === 'conceal-walking';
  const releaseFrom = walker.time + (isWalking ? rng.range(500, 1000) : rng.range(1000, 2500));
  const releaseTo = releaseFrom + rng.range(800, 1500);
  const vanishAt = releaseTo + rng.range(400, 1200);
  // Walking on slowly along the aisle, towards its middle, while the hand goes to the torso.
  if (isWalking) walker.moveTo([aisle[0] + (aisle[0] < 0.5 ? 1 : -1) * rng.range(0.12, 0.2), aisle[1]], rng.range(0.04, 0.06));
  walker.waitUntil(vanishAt + rng.range(2000, 4000)).moveTo([side * 1.1 - 0.05, aisle[1]], walkSpeed(rng)).vanish();
  return { walker, h: { shelfSpot, pickFrom, pickTo, releaseFrom, releaseTo, vanishAt, endPoint: 'torso' } };
}

function actors(walker: Path, h: Handling): Actor[] {
  const at = (t: number) => productAt(walker, h, t);
  const until = h.vanishAt ?? (h.endPoint === 'shelf' ? h.releaseTo : Infinity);
  // The pose model puts the right wrist on the product while the hand holds it.
  const held = (t: number) => (t >= h.pickFrom && t < until ? at(t) : undefined);
  return [person('shopper', walker, held), { name: 'product', kind: 'product', label: 'product', size: PRODUCT_SIZE, at }];
}

/** A product hidden at the torso in the aisle, standing or walking (positives); put back on the shelf, or carried out in the hand (negatives). */
export function concealment(req: ScenarioRequest): Scenario {
  const d = draft(req);
  const variant: Variant = d.rng.pick(d.positive ? (['conceal', 'conceal-walking'] as const) : (['put-back', 'carried-out'] as const));
  const keypoints = d.rng.chance(0.5);
  const { walker, h } = shopperPath(d, variant);
  return finish(d, {
    variant: `${variant}${keypoints ? ' +keypoints' : ''}`,
    actors: actors(walker, h),
    pos: [],
    truth: h.vanishAt !== undefined ? [{ from: h.releaseFrom - 2 * SECOND, to: h.vanishAt + 30 * SECOND, what: 'product hidden at the torso in the aisle' }] : [],
    end: (walker.vanished ?? walker.time) + 15 * SECOND,
    keypoints,
  });
}
