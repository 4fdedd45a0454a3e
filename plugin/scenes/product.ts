import type { Drawable } from './drawable.js';
import type { Rgb, Vec } from './raster.js';
import { shade } from './raster.js';
import type { Rng } from './rng.js';

export type ProductShape = 'box' | 'can' | 'bottle' | 'bag' | 'blister';

/** A product as it looks from above: shape, size (reference pixels), colours; `itemId` is its barcode. */
export interface ProductLook {
  readonly itemId: string;
  readonly description: string;
  readonly price: number;
  readonly shape: ProductShape;
  readonly length: number;
  readonly width: number;
  readonly colour: Rgb;
  readonly accent: Rgb;
}

const NAMES: Record<ProductShape, readonly string[]> = {
  box: ['CEREAL 500G', 'TEA 80 BAGS', 'SHAVER HEADS', 'RICE 1KG', 'COOKIES'],
  can: ['BEANS 400G', 'SODA 330ML', 'TUNA 160G', 'COFFEE 250G'],
  bottle: ['WATER 1.5L', 'OLIVE OIL 1L', 'SHAMPOO', 'WINE 750ML'],
  bag: ['CHIPS 200G', 'PASTA 500G', 'CANDY MIX', 'FLOUR 1KG'],
  blister: ['BATTERIES AA', 'RAZOR BLADES', 'EARBUDS', 'SD CARD 64GB'],
};
const SIZES: Record<ProductShape, readonly [number, number, number, number]> = {
  // min/max length, min/max width over length
  box: [12, 24, 0.5, 0.9],
  can: [8, 13, 1, 1],
  bottle: [16, 26, 0.3, 0.42],
  bag: [14, 22, 0.6, 0.85],
  blister: [9, 14, 0.55, 0.8],
};
const SHAPES: readonly ProductShape[] = ['box', 'can', 'bottle', 'bag', 'blister'];

function hsv(h: number, s: number, v: number): Rgb {
  const f = (n: number): number => {
    const k = (n + h * 6) % 6;
    return Math.round(255 * (v - v * s * Math.max(0, Math.min(k, 4 - k, 1))));
  };
  return [f(5), f(3), f(1)];
}

/** A random product; the same `index` in the same generator state is the same product. */
export function randomProduct(rng: Rng, index: number, shapes: readonly ProductShape[] = SHAPES): ProductLook {
  const shape = rng.pick(shapes);
  const [lo, hi, wlo, whi] = SIZES[shape];
  const length = rng.range(lo, hi);
  const code = String(4_000_000_000_000 + Math.floor(rng.next() * 899_999_999_999) + index).slice(0, 13);
  return {
    itemId: code,
    description: rng.pick(NAMES[shape]),
    price: Math.round(rng.range(0.79, shape === 'blister' ? 39.99 : 9.99) * 100) / 100,
    shape, length, width: length * rng.range(wlo, whi),
    colour: hsv(rng.next(), rng.range(0.35, 0.95), rng.range(0.45, 0.98)),
    accent: hsv(rng.next(), rng.range(0.1, 0.9), rng.range(0.6, 1)),
  };
}

/** A product lying at `centre`, its long side along `angle`. */
export function productDrawable(trackId: string, look: ProductLook, centre: Vec, angle: number, z: number): Drawable {
  return {
    trackId, cls: 'product', z,
    draw(pen, id) {
      const { length: l, width: w, colour, accent } = look;
      const along: Vec = [Math.cos(angle), Math.sin(angle)];
      const off = (k: number): Vec => [centre[0] + along[0] * k, centre[1] + along[1] * k];
      switch (look.shape) {
        case 'box':
          pen.box(centre, l, w, angle, colour, id);
          pen.box(off(-l * 0.1), l * 0.35, w * 0.8, angle, accent, id);
          break;
        case 'can':
          pen.circle(centre, l / 2, shade(colour, 0.75), id);
          pen.circle(centre, l * 0.4, colour, id);
          pen.circle(off(l * 0.15), l * 0.08, accent, id);
          break;
        case 'bottle':
          pen.capsule(off(-l * 0.5 + w / 2), off(l * 0.2), w / 2, colour, id);
          pen.capsule(off(l * 0.2), off(l * 0.5 - w * 0.15), w * 0.2, shade(colour, 0.85), id);
          pen.circle(off(l * 0.5 - w * 0.12), w * 0.18, accent, id);
          break;
        case 'bag':
          pen.box(centre, l * 0.86, w, angle, colour, id);
          pen.box(off(-l * 0.46), l * 0.08, w * 0.9, angle, shade(colour, 0.7), id);
          pen.box(off(l * 0.46), l * 0.08, w * 0.9, angle, shade(colour, 0.7), id);
          pen.ellipse(centre, l * 0.2, w * 0.3, angle, accent, id);
          break;
        case 'blister':
          pen.box(centre, l, w, angle, accent, id);
          pen.box(off(l * 0.08), l * 0.6, w * 0.6, angle, colour, id);
          break;
      }
    },
  };
}
