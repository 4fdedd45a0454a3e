import type { Zone } from '../../contracts/index.js';
import type { Pen } from './pen.js';
import { REFERENCE } from './pen.js';
import type { PixelBox, Rgb, Vec } from './raster.js';
import { shade } from './raster.js';
import type { Rng } from './rng.js';

/** An overhead checkout lane in reference pixels: counter across the middle, cashier above, customers below. */
export interface CheckoutLayout {
  readonly belt: PixelBox;
  readonly scanner: PixelBox;
  readonly bagging: PixelBox;
  readonly cashierSpot: Vec;
  readonly customerSpot: Vec;
  readonly payingSpot: Vec;
  readonly cartSpot: Vec;
  readonly till: PixelBox;
  readonly floor: Rgb;
  readonly counter: Rgb;
  readonly beltSpeed: number;
}

export function checkoutLayout(rng: Rng): CheckoutLayout {
  const top = rng.range(94, 104);
  const bottom = top + rng.range(30, 36);
  const beltEnd = rng.range(160, 176);
  const scanEnd = beltEnd + rng.range(34, 42);
  return {
    belt: { x1: rng.range(4, 14), y1: top, x2: beltEnd, y2: bottom },
    scanner: { x1: beltEnd, y1: top, x2: scanEnd, y2: bottom },
    bagging: { x1: scanEnd, y1: top - 4, x2: rng.range(296, 312), y2: bottom + 4 },
    cashierSpot: [scanEnd - rng.range(8, 22), top - rng.range(34, 44)],
    customerSpot: [rng.range(80, 110), bottom + rng.range(36, 46)],
    payingSpot: [scanEnd + rng.range(20, 40), bottom + rng.range(36, 46)],
    cartSpot: [rng.range(34, 56), bottom + rng.range(70, 80)],
    till: { x1: scanEnd + 16, y1: top - 30, x2: scanEnd + 40, y2: top - 10 },
    floor: shade([150, 145, 135], rng.range(0.8, 1.1)),
    counter: shade([120, 124, 130], rng.range(0.85, 1.1)),
    beltSpeed: rng.range(38, 50),
  };
}

export const scannerWindow = (l: CheckoutLayout): PixelBox => ({
  x1: l.scanner.x1 + 5, y1: l.scanner.y1 + 4, x2: l.scanner.x2 - 5, y2: l.scanner.y2 - 4,
});

/** The fixed set; the belt's ribs move with `t`. */
export function drawCheckout(pen: Pen, l: CheckoutLayout, t: number): void {
  pen.rect({ x1: 0, y1: 0, x2: REFERENCE.width, y2: REFERENCE.height }, l.floor);
  for (let x = 0; x < REFERENCE.width; x += 40) pen.rect({ x1: x, y1: 0, x2: x + 1, y2: REFERENCE.height }, shade(l.floor, 0.9));
  pen.rect({ x1: 0, y1: l.belt.y1 - 6, x2: l.bagging.x2 + 2, y2: l.belt.y2 + 6 }, l.counter);
  pen.rect(l.belt, [38, 38, 40]);
  const rib = (t * l.beltSpeed) % 12;
  for (let x = l.belt.x1 + rib; x < l.belt.x2; x += 12) pen.rect({ x1: x, y1: l.belt.y1, x2: x + 2, y2: l.belt.y2 }, [52, 52, 55]);
  pen.rect(l.scanner, shade(l.counter, 1.15));
  const glass = scannerWindow(l);
  pen.rect(glass, [30, 44, 70]);
  pen.rect({ x1: glass.x1, y1: (glass.y1 + glass.y2) / 2 - 0.6, x2: glass.x2, y2: (glass.y1 + glass.y2) / 2 + 0.6 }, [220, 40, 40]);
  pen.rect(l.bagging, shade(l.counter, 1.3));
  pen.rect(l.till, [45, 45, 50]);
  pen.rect({ x1: l.till.x1 + 3, y1: l.till.y1 + 3, x2: l.till.x2 - 3, y2: l.till.y1 + 11 }, [90, 140, 170]);
}

const quad = (b: PixelBox): Array<[number, number]> =>
  [[b.x1, b.y1], [b.x2, b.y1], [b.x2, b.y2], [b.x1, b.y2]].map(([x = 0, y = 0]) => [
    Math.min(1, Math.max(0, x / REFERENCE.width)), Math.min(1, Math.max(0, y / REFERENCE.height)),
  ]);

export function checkoutZones(l: CheckoutLayout): Zone[] {
  return [
    { name: 'load', type: 'load', polygon: quad(l.belt) },
    { name: 'scanner', type: 'scanner', polygon: quad(l.scanner) },
    { name: 'bagging', type: 'bagging', polygon: quad(l.bagging) },
    { name: 'cashier', type: 'staff', polygon: quad({ x1: l.scanner.x1 - 50, y1: 0, x2: l.bagging.x2, y2: l.belt.y1 - 8 }) },
    { name: 'customer', type: 'customer', polygon: quad({ x1: 0, y1: l.belt.y2 + 8, x2: REFERENCE.width, y2: REFERENCE.height }) },
  ];
}
