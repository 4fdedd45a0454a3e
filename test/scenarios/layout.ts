import type { Zone } from '../../plugin/tracking/index.js';
import { mirrorX, zone, type Rect } from './geometry.js';
import type { Rng } from './prng.js';

/**
 * One camera's randomised view: a checkout lane on one side (cashier, counter with load, scanner and bagging
 * areas, customer area), the sales floor on the other (shelf, high-value floor, staff restocking area, an
 * aisle with no zone) and the store exit at the bottom. The rectangles are where actors are placed; the zone
 * polygons are jittered quadrilaterals around them.
 */
export interface Layout {
  readonly cashier: Rect;
  readonly load: Rect;
  readonly scanner: Rect;
  readonly bagging: Rect;
  readonly customer: Rect;
  readonly shelf: Rect;
  readonly highValue: Rect;
  readonly staff: Rect;
  readonly aisle: Rect;
  readonly exit: Rect;
  /** A walkway between the lane and the exit, outside every zone. */
  readonly walkway: Rect;
  /** Where a product path skipping the scanner passes: above the scanner zone, outside every zone. */
  readonly skipY: number;
  readonly zones: readonly Zone[];
}

type Rects = Omit<Layout, 'zones' | 'skipY'>;

function rects(rng: Rng): Rects {
  const top = rng.range(0.3, 0.34);
  const bottom = top + rng.range(0.1, 0.13);
  const left = rng.range(0.03, 0.06);
  const loadEnd = left + rng.range(0.14, 0.17);
  const scanEnd = loadEnd + rng.range(0.09, 0.12);
  const bagEnd = scanEnd + rng.range(0.14, 0.17);
  const floor = rng.range(0.6, 0.64);
  return {
    cashier: { x1: loadEnd - 0.04, y1: 0.12, x2: scanEnd + 0.06, y2: top - 0.1 },
    load: { x1: left, y1: top, x2: loadEnd, y2: bottom },
    // The scanner is a window in the middle of the counter: a product lifted over it does not cross it.
    scanner: { x1: loadEnd, y1: top + 0.03, x2: scanEnd, y2: bottom },
    bagging: { x1: scanEnd, y1: top, x2: bagEnd, y2: bottom },
    customer: { x1: left + 0.06, y1: bottom + 0.08, x2: bagEnd - 0.02, y2: bottom + rng.range(0.2, 0.24) },
    shelf: { x1: floor, y1: 0.06, x2: 0.97, y2: rng.range(0.2, 0.23) },
    highValue: { x1: floor, y1: 0.32, x2: floor + rng.range(0.14, 0.17), y2: 0.46 },
    staff: { x1: 0.97 - rng.range(0.14, 0.17), y1: 0.32, x2: 0.97, y2: 0.46 },
    aisle: { x1: floor + 0.04, y1: 0.62, x2: 0.93, y2: 0.78 },
    exit: { x1: floor + 0.06, y1: 0.84, x2: 0.95, y2: 0.98 },
    walkway: { x1: left + 0.06, y1: 0.8, x2: floor - 0.04, y2: 0.95 },
  };
}

function mirrored(r: Rects): Rects {
  const entries = Object.entries(r).map(([k, v]) => [k, mirrorX(v)] as const);
  return Object.fromEntries(entries) as Record<keyof Rects, Rect>;
}

/** The frame edge on the sales floor's side, just out of view: where shoppers on the floor come from and go. */
export const floorSide = (layout: Layout): number => (layout.shelf.x1 > 0.5 ? 1.1 : -0.1);

export function makeLayout(rng: Rng): Layout {
  const base = rects(rng);
  const r = rng.chance(0.5) ? mirrored(base) : base;
  const zones: Zone[] = [
    zone(rng, 'cashier', 'staff', r.cashier),
    zone(rng, 'load', 'load', r.load, 0.004),
    zone(rng, 'scanner', 'scanner', r.scanner, 0.004),
    zone(rng, 'bagging', 'bagging', r.bagging, 0.004),
    zone(rng, 'customer', 'customer', r.customer),
    zone(rng, 'shelf', 'shelf', r.shelf),
    zone(rng, 'high-value', 'high_value', r.highValue),
    zone(rng, 'stock-aisle', 'staff', r.staff),
    zone(rng, 'exit', 'exit', r.exit),
  ];
  return { ...r, skipY: r.scanner.y1 - 0.09, zones };
}
