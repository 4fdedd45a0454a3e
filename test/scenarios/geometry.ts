import type { Zone, ZoneType } from '../../plugin/tracking/index.js';
import type { Rng } from './prng.js';

/** A normalised point of the frame, [x, y] in 0..1. */
export type Point = readonly [number, number];

/** An axis-aligned rectangle in normalised coordinates. */
export interface Rect {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

export const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));

export const lerp = (a: Point, b: Point, f: number): Point => [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];

export const distance = (a: Point, b: Point): number => Math.hypot(a[0] - b[0], a[1] - b[1]);

export const centre = (r: Rect): Point => [(r.x1 + r.x2) / 2, (r.y1 + r.y2) / 2];

/** A random point well inside a rectangle (`margin` as a share of its size, each side). */
export function pointIn(rng: Rng, r: Rect, margin = 0.25): Point {
  const w = r.x2 - r.x1;
  const h = r.y2 - r.y1;
  return [rng.range(r.x1 + w * margin, r.x2 - w * margin), rng.range(r.y1 + h * margin, r.y2 - h * margin)];
}

/** A quadrilateral around the rectangle, each corner pushed outwards by up to `slack` (the rectangle stays inside). */
export function jitteredPolygon(rng: Rng, r: Rect, slack: number): Array<[number, number]> {
  const out = (v: number, dir: number) => clamp01(v + dir * rng.range(0, slack));
  return [
    [out(r.x1, -1), out(r.y1, -1)],
    [out(r.x2, 1), out(r.y1, -1)],
    [out(r.x2, 1), out(r.y2, 1)],
    [out(r.x1, -1), out(r.y2, 1)],
  ];
}

export function zone(rng: Rng, name: string, type: ZoneType, r: Rect, slack = 0.008): Zone {
  return { name, type, polygon: jitteredPolygon(rng, r, slack) };
}

export const mirrorX = (r: Rect): Rect => ({ x1: 1 - r.x2, y1: r.y1, x2: 1 - r.x1, y2: r.y2 });
