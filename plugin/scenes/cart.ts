import type { Drawable } from './drawable.js';
import type { Rgb, Vec } from './raster.js';
import { lerp } from './motion.js';

export type CartKind = 'cart' | 'basket';

/** Outer size (length along `angle`, width) of a cart or a basket, reference pixels. */
export const CART_SIZE: Record<CartKind, readonly [number, number]> = { cart: [58, 36], basket: [30, 20] };

function corner(centre: Vec, angle: number, u: number, v: number): Vec {
  return [centre[0] + u * Math.cos(angle) - v * Math.sin(angle), centre[1] + u * Math.sin(angle) + v * Math.cos(angle)];
}

/** A wire cart or basket seen from above: rim, a few wires across and along, and a handle. */
export function cartDrawable(trackId: string, kind: CartKind, colour: Rgb, centre: Vec, angle: number, z: number): Drawable {
  const [l, w] = CART_SIZE[kind];
  const c = (u: number, v: number): Vec => corner(centre, angle, u, v);
  return {
    trackId, cls: 'cart', z,
    draw(pen, id) {
      const rim = kind === 'cart' ? 1.6 : 1.3;
      const a = c(-l / 2, -w / 2);
      const b = c(l / 2, -w / 2);
      const d = c(l / 2, w / 2);
      const e = c(-l / 2, w / 2);
      // The floor of the cart shows through its wires: a faint fill that claims no pixels.
      pen.polygon([a, b, d, e], colour, 0, 0.25);
      for (const [p, q] of [[a, b], [b, d], [d, e], [e, a]] as const) pen.capsule(p, q, rim, colour, id);
      const wires = kind === 'cart' ? 6 : 3;
      for (let i = 1; i < wires; i++) pen.capsule(lerp(a, b, i / wires), lerp(e, d, i / wires), 0.6, colour, id);
      pen.capsule(lerp(a, e, 0.5), lerp(b, d, 0.5), 0.6, colour, id);
      if (kind === 'cart') pen.capsule(c(-l / 2 - 5, -w / 2 + 2), c(-l / 2 - 5, w / 2 - 2), 2.2, [30, 30, 30], id);
      else pen.capsule(c(-l * 0.2, 0), c(l * 0.2, 0), 1.4, [40, 40, 40], id);
    },
  };
}
