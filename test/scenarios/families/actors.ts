import type { Point } from '../geometry.js';
import type { Path } from '../path.js';
import type { Rng } from '../prng.js';
import type { Actor } from '../world.js';

export const PERSON_SIZE: readonly [number, number] = [0.07, 0.26];
export const PRODUCT_SIZE: readonly [number, number] = [0.06, 0.08];
export const CART_SIZE: readonly [number, number] = [0.12, 0.12];

export function person(name: string, path: Path, hand?: (t: number) => Point | undefined): Actor {
  const base = { name, kind: 'person' as const, label: 'person', size: PERSON_SIZE, at: (t: number) => path.at(t) };
  return hand === undefined ? base : { ...base, hand };
}

export function product(name: string, path: Path): Actor {
  return { name, kind: 'product', label: 'product', size: PRODUCT_SIZE, at: (t) => path.at(t) };
}

export function cart(name: string, path: Path): Actor {
  return { name, kind: 'cart', label: 'cart', size: CART_SIZE, at: (t) => path.at(t) };
}

/** A walking speed, frame widths per second. */
export const walkSpeed = (rng: Rng): number => rng.range(0.08, 0.14);

/** A hand moving a product, frame widths per second (slow enough for a 5 fps tracker to follow). */
export const handSpeed = (rng: Rng): number => rng.range(0.04, 0.07);

/** Where a person's right hand is, relative to their feet, holding something at chest or hip height. */
export const handOf = (feet: Point, height: 'chest' | 'hip'): Point => [feet[0] + PERSON_SIZE[0] * 0.45, feet[1] - PERSON_SIZE[1] * (height === 'chest' ? 0.62 : 0.5)];
