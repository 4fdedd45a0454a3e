import type { Lighting } from './frame-renderer.js';
import { mixSeed, Rng } from './rng.js';

/** Slow daylight drift, a flickering tube now and then, and the sensor's grain (a property of the camera). */
export function lightingAt(seed: number, t: number): Lighting {
  const camera = new Rng(mixSeed(seed, 'camera'));
  const noise = camera.range(2.5, 6);
  const period = camera.range(17, 31);
  const slope = camera.range(-0.25, 0.25);
  const second = Math.floor(t);
  const flicker = new Rng(mixSeed(seed, 'flicker', second)).chance(0.08) ? 0.78 : 1;
  return { gain: (1 + 0.12 * Math.sin((2 * Math.PI * t) / period)) * flicker, slope: slope * (1 + 0.3 * Math.sin(t / 7)), noise };
}
