import type { Point, Rect } from '../geometry.js';
import { floorSide } from '../layout.js';
import { Path } from '../path.js';
import type { Actor, Scenario, ScenarioRequest } from '../world.js';
import { handSpeed, person, product, walkSpeed } from './actors.js';
import { draft, finish, SECOND, type Draft } from './common.js';

type Variant = 'sweep' | 'staff-rotation' | 'staff-restock' | 'shopper-takes-few';

/** Shelf spots in two rows above `x`, lower row first (taken first, so nothing passes over a product still there). */
function shelfSpots(shelf: Rect, x: number, n: number): Point[] {
  const rows = [shelf.y2 - 0.045, shelf.y1 + 0.045];
  const perRow = Math.ceil(n / 2);
  const x0 = Math.min(Math.max(x - ((perRow - 1) * 0.065) / 2, shelf.x1 + 0.035), shelf.x2 - 0.035 - (perRow - 1) * 0.065);
  return Array.from({ length: n }, (_, i) => [x0 + (i % perRow) * 0.065, rows[Math.floor(i / perRow)] ?? shelf.y1] as const);
}

/** Where the person stands: in front of the shelf (a shopper) or in the staff area below it (staff). */
function standPoint(d: Draft, variant: Variant): Point {
  const { rng, layout } = d;
  if (variant === 'staff-rotation' || variant === 'staff-restock') return [rng.range(layout.staff.x1 + 0.04, layout.staff.x2 - 0.04), rng.range(layout.staff.y1 + 0.03, layout.staff.y2 - 0.03)];
  return [rng.range(layout.highValue.x1 + 0.04, layout.highValue.x2 - 0.02), layout.shelf.y2 + 0.05];
}

interface Moves {
  readonly products: Actor[];
  readonly first: number;
  readonly last: number;
}

/**
 * Products taken off the shelf one after another, each straight down into a bag below it (the next one starting
 * before the last is in the bag), or (restocking) put onto it from below.
 */
function moveProducts(d: Draft, spots: readonly Point[], from: number, restock: boolean): Moves {
  const { rng } = d;
  let t = from;
  let last = from;
  const products = spots.map((spot, i) => {
    const bag: Point = [spot[0] + rng.jitter(0.01), d.layout.shelf.y2 + 0.07];
    const speed = handSpeed(rng) * 1.5;
    const path = restock ? new Path(t, bag).wait(400).moveTo(spot, speed) : new Path(d.start, spot).waitUntil(t).moveTo(bag, speed).wait(rng.range(300, 800)).vanish();
    last = Math.max(last, path.time);
    t += rng.range(800, 2000);
    return product(`product-${i + 1}`, path);
  });
  return { products, first: from, last };
}

/** A sweep of 6–10 products by one shopper (positives); staff moving stock, or a shopper taking one to three (negatives). */
export function sweep(req: ScenarioRequest): Scenario {
  const d = draft(req);
  const { rng } = d;
  const variant: Variant = d.positive ? 'sweep' : rng.pick(['staff-rotation', 'staff-restock', 'shopper-takes-few'] as const);
  const n = variant === 'shopper-takes-few' ? rng.int(1, 3) : rng.int(6, 10);
  const stand = standPoint(d, variant);
  const walker = new Path(d.start + rng.range(1, 4) * SECOND, [floorSide(d.layout), stand[1]]).moveTo(stand, walkSpeed(rng));
  const moves = moveProducts(d, shelfSpots(d.layout.shelf, stand[0], n), walker.time + rng.range(1000, 3000), variant === 'staff-restock');
  walker.waitUntil(moves.last + 2000).moveTo([floorSide(d.layout), stand[1]], walkSpeed(rng)).vanish();
  return finish(d, {
    variant,
    actors: [person(variant.startsWith('staff') ? 'staff' : 'shopper', walker), ...moves.products],
    pos: [],
    truth: d.positive ? [{ from: moves.first - 3 * SECOND, to: moves.last + 30 * SECOND, what: `${n} products swept off the shelf` }] : [],
    end: (walker.vanished ?? moves.last) + 20 * SECOND,
  });
}
