import type { Zone } from '../../contracts/index.js';
import type { Pen } from './pen.js';
import { REFERENCE } from './pen.js';
import type { ProductLook } from './product.js';
import { randomProduct } from './product.js';
import type { PixelBox, Rgb, Vec } from './raster.js';
import { shade } from './raster.js';
import type { Rng } from './rng.js';

/** A product in its place on a shelf. */
export interface ShelfSlot {
  readonly look: ProductLook;
  readonly at: Vec;
  readonly angle: number;
  readonly isHighValue: boolean;
  readonly isTop: boolean;
}

/** An aisle from above: shelves along the top and bottom edges, a locked high-value bay, the exit on the right. */
export interface AisleLayout {
  readonly topShelf: PixelBox;
  readonly bottomShelf: PixelBox;
  readonly highValue: PixelBox;
  readonly exit: PixelBox;
  readonly slots: readonly ShelfSlot[];
  readonly floor: Rgb;
  readonly shelf: Rgb;
}

function shelfSlots(rng: Rng, shelf: PixelBox, isTop: boolean, hv: PixelBox): ShelfSlot[] {
  const out: ShelfSlot[] = [];
  const rows = isTop ? [shelf.y2 - 9, shelf.y2 - 27] : [shelf.y1 + 9, shelf.y1 + 27];
  for (const y of rows) {
    for (let x = 8 + rng.range(0, 6); x < 292; x += rng.range(15, 21)) {
      const isHighValue = isTop && x > hv.x1 + 4 && x < hv.x2 - 4;
      const look = randomProduct(rng, out.length, isHighValue ? ['blister'] : ['box', 'can', 'bottle', 'bag']);
      out.push({ look, at: [x, y + rng.range(-1.5, 1.5)], angle: Math.PI / 2 + rng.range(-0.15, 0.15), isHighValue, isTop });
    }
  }
  return out;
}

export function aisleLayout(rng: Rng): AisleLayout {
  const topShelf = { x1: 0, y1: 0, x2: 300, y2: rng.range(48, 56) };
  const bottomShelf = { x1: 0, y1: rng.range(186, 194), x2: 300, y2: REFERENCE.height };
  const hvx = rng.range(140, 200);
  const highValue = { x1: hvx, y1: topShelf.y1, x2: hvx + rng.range(56, 70), y2: topShelf.y2 };
  return {
    topShelf, bottomShelf, highValue,
    exit: { x1: 300, y1: 70, x2: REFERENCE.width, y2: 170 },
    slots: [...shelfSlots(rng, topShelf, true, highValue), ...shelfSlots(rng, bottomShelf, false, highValue)],
    floor: shade([170, 165, 150], rng.range(0.8, 1.1)),
    shelf: shade([200, 200, 205], rng.range(0.75, 1.05)),
  };
}

export function drawAisle(pen: Pen, l: AisleLayout): void {
  pen.rect({ x1: 0, y1: 0, x2: REFERENCE.width, y2: REFERENCE.height }, l.floor);
  for (let y = 60; y < 190; y += 30) pen.rect({ x1: 0, y1: y, x2: 300, y2: y + 1 }, shade(l.floor, 0.92));
  pen.rect(l.topShelf, l.shelf);
  pen.rect(l.bottomShelf, l.shelf);
  pen.rect({ x1: 0, y1: l.topShelf.y2 - 2, x2: 300, y2: l.topShelf.y2 }, shade(l.shelf, 0.6));
  pen.rect({ x1: 0, y1: l.bottomShelf.y1, x2: 300, y2: l.bottomShelf.y1 + 2 }, shade(l.shelf, 0.6));
  pen.rect(l.highValue, [70, 60, 90]);
  // The high-value bay's floor marking: yellow stripes.
  for (let x = l.highValue.x1; x < l.highValue.x2; x += 8) pen.rect({ x1: x, y1: l.highValue.y2 + 2, x2: x + 4, y2: l.highValue.y2 + 8 }, [210, 180, 40]);
  pen.rect(l.exit, [60, 110, 70]);
  pen.rect({ x1: l.exit.x1, y1: l.exit.y1 - 3, x2: l.exit.x2, y2: l.exit.y1 }, [40, 40, 40]);
  pen.rect({ x1: l.exit.x1, y1: l.exit.y2, x2: l.exit.x2, y2: l.exit.y2 + 3 }, [40, 40, 40]);
}

const quad = (b: PixelBox): Array<[number, number]> =>
  [[b.x1, b.y1], [b.x2, b.y1], [b.x2, b.y2], [b.x1, b.y2]].map(([x = 0, y = 0]) => [
    Math.min(1, Math.max(0, x / REFERENCE.width)), Math.min(1, Math.max(0, y / REFERENCE.height)),
  ]);

export function aisleZones(l: AisleLayout): Zone[] {
  return [
    { name: 'top-shelf', type: 'shelf', polygon: quad(l.topShelf) },
    { name: 'bottom-shelf', type: 'shelf', polygon: quad(l.bottomShelf) },
    { name: 'high-value', type: 'high_value', polygon: quad({ ...l.highValue, y2: l.highValue.y2 + 24 }) },
    { name: 'exit', type: 'exit', polygon: quad(l.exit) },
  ];
}
