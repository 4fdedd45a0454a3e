import type { PixelSource } from './downscale-gray.js';
import type { MotionRegion } from './motion-gate.js';

export interface PixelRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Frigate's idea: when motion is small, look at a crop around it instead of the whole frame, so small objects
 * keep their pixels after the resize to the model's input. The crop is the regions' union plus `margin`, grown
 * to at least the model's input size with the model's aspect, kept inside the frame. Returns undefined when the
 * crop would cover most of the frame anyway (then the whole frame is the better input).
 */
export function cropForRegions(regions: readonly MotionRegion[], frame: { width: number; height: number }, model: { width: number; height: number }, margin = 0.1, maxShare = 0.6): PixelRect | undefined {
  if (regions.length === 0) return undefined;
  const x1 = Math.min(...regions.map((r) => r.box[0])) * frame.width;
  const y1 = Math.min(...regions.map((r) => r.box[1])) * frame.height;
  const x2 = Math.max(...regions.map((r) => r.box[2])) * frame.width;
  const y2 = Math.max(...regions.map((r) => r.box[3])) * frame.height;
  const pad = margin * Math.max(x2 - x1, y2 - y1);
  const aspect = model.width / model.height;
  let width = Math.max(x2 - x1 + 2 * pad, model.width);
  let height = Math.max(y2 - y1 + 2 * pad, model.height);
  if (width / height > aspect) height = width / aspect;
  else width = height * aspect;
  if (width > frame.width * maxShare || height > frame.height * maxShare) return undefined;
  const cx = (x1 + x2) / 2;
  const cy = (y1 + y2) / 2;
  const w = Math.round(width);
  const h = Math.round(height);
  const x = Math.round(Math.min(frame.width - w, Math.max(0, cx - w / 2)));
  const y = Math.round(Math.min(frame.height - h, Math.max(0, cy - h / 2)));
  return { x, y, width: w, height: h };
}

/** Copies a rectangle of a frame into a tightly packed image of the same format (into `out` when it fits). */
export function cropPixels(src: PixelSource, rect: PixelRect, out?: Uint8Array): PixelSource {
  const bpp = src.format === 'gray' ? 1 : 3;
  const size = rect.width * rect.height * bpp;
  const data = out !== undefined && out.length === size ? out : new Uint8Array(size);
  const row = rect.width * bpp;
  for (let y = 0; y < rect.height; y++) {
    const from = ((rect.y + y) * src.width + rect.x) * bpp;
    data.set(src.data.subarray(from, from + row), y * row);
  }
  return { width: rect.width, height: rect.height, format: src.format, data };
}

/** Moves boxes found in a crop back into the frame's pixels. */
export function uncropBox(box: readonly [number, number, number, number], rect: PixelRect): [number, number, number, number] {
  return [box[0] + rect.x, box[1] + rect.y, box[2] + rect.x, box[3] + rect.y];
}
