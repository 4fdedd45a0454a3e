/** A small seeded PRNG (mulberry32): the same seed draws the same scene on every machine. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  range(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  int(min: number, maxInclusive: number): number {
    return Math.floor(this.range(min, maxInclusive + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Roughly normal noise (sum of three uniforms), standard deviation about `sigma`. */
  gauss(sigma: number): number {
    return (this.next() + this.next() + this.next() - 1.5) * 2 * sigma;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}

/** Mixes a seed with a purpose and an index into one 32-bit seed, so parts of a scene draw independently. */
export function mixSeed(seed: number, purpose: string, index = 0): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const ch of `${purpose}#${index}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}
