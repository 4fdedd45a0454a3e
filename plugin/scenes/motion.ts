import type { Vec } from './raster.js';

/** A position at a time (seconds from the start of an episode). */
export interface Key {
  readonly t: number;
  readonly p: Vec;
}

const smooth = (u: number): number => u * u * (3 - 2 * u);

/** Where a keyframed path is at `t`: held before the first and after the last key, eased between keys. */
export function along(keys: readonly Key[], t: number): Vec {
  const first = keys[0];
  if (first === undefined) throw new Error('a path needs at least one key');
  if (t <= first.t) return first.p;
  for (let i = 1; i < keys.length; i++) {
    const a = keys[i - 1] ?? first;
    const b = keys[i] ?? first;
    if (t <= b.t) {
      const u = b.t === a.t ? 1 : smooth((t - a.t) / (b.t - a.t));
      return [a.p[0] + (b.p[0] - a.p[0]) * u, a.p[1] + (b.p[1] - a.p[1]) * u];
    }
  }
  return (keys[keys.length - 1] ?? first).p;
}

export function lerp(a: Vec, b: Vec, u: number): Vec {
  return [a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u];
}

export function distance(a: Vec, b: Vec): number {
  return Math.hypot(b[0] - a[0], b[1] - a[1]);
}
