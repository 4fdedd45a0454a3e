import type { Drawable } from './drawable.js';
import { Pen } from './pen.js';
import type { Canvas, PixelBox } from './raster.js';
import { Rng } from './rng.js';
import type { FrameTruth, HandKeypoints, TruthBox } from './truth.js';

/** Light on the scene: overall gain and a left-to-right slope (a window, a failing tube). */
export interface Lighting {
  readonly gain: number;
  readonly slope: number;
  /** Standard deviation of the sensor's noise, 0..255 units. */
  readonly noise: number;
}

/** Everything one frame shows: the fixed set, the objects in it and the light. */
export interface FrameContent {
  background(pen: Pen): void;
  readonly drawables: readonly Drawable[];
  readonly lighting: Lighting;
}

function boxesById(canvas: Canvas): Map<number, { box: PixelBox; pixels: number }> {
  const out = new Map<number, { x1: number; y1: number; x2: number; y2: number; pixels: number }>();
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < canvas.width; x++) {
      const id = canvas.ids[y * canvas.width + x] ?? 0;
      if (id === 0) continue;
      const b = out.get(id);
      if (b === undefined) out.set(id, { x1: x, y1: y, x2: x + 1, y2: y + 1, pixels: 1 });
      else {
        b.pixels++;
        if (x < b.x1) b.x1 = x;
        if (x + 1 > b.x2) b.x2 = x + 1;
        if (y + 1 > b.y2) b.y2 = y + 1;
      }
    }
  }
  return new Map([...out].map(([id, b]) => [id, { box: { x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 }, pixels: b.pixels }]));
}

function truthBoxes(canvas: Canvas, order: readonly Drawable[]): TruthBox[] {
  const seen = boxesById(canvas);
  const out: TruthBox[] = [];
  order.forEach((d, i) => {
    if (d.cls === null) return;
    const ids = [i + 1, ...order.flatMap((p, j) => (p.partOf === d.trackId ? [j + 1] : []))];
    let box: PixelBox | null = null;
    let visible = 0;
    let drawn = 0;
    for (const id of ids) {
      drawn += canvas.drawnPixels(id);
      const b = seen.get(id);
      if (b === undefined) continue;
      visible += b.pixels;
      box = box === null ? b.box : { x1: Math.min(box.x1, b.box.x1), y1: Math.min(box.y1, b.box.y1), x2: Math.max(box.x2, b.box.x2), y2: Math.max(box.y2, b.box.y2) };
    }
    if (box !== null && drawn > 0) out.push({ cls: d.cls, trackId: d.trackId, ...box, visible: Math.min(1, visible / drawn) });
  });
  return out;
}

function handKeypoints(pen: Pen, order: readonly Drawable[]): HandKeypoints[] {
  const { canvas } = pen;
  const out: HandKeypoints[] = [];
  order.forEach((d, i) => {
    if (d.cls !== 'hand' || d.keypoints === undefined || d.partOf === undefined) return;
    const points = d.keypoints.map((k) => {
      const [x, y] = pen.toPixels(k.p);
      const px = Math.floor(x);
      const py = Math.floor(y);
      const isInside = px >= 0 && py >= 0 && px < canvas.width && py < canvas.height;
      const name: 'wrist' | 'palm' | 'fingertip' = k.name === 'wrist' || k.name === 'palm' ? k.name : 'fingertip';
      return { name, x: Math.round(x * 10) / 10, y: Math.round(y * 10) / 10, visible: isInside && canvas.ids[py * canvas.width + px] === i + 1 };
    });
    out.push({ trackId: d.trackId, personId: d.partOf, points });
  });
  return out;
}

/** Unit-variance grain, drawn once: each frame reads it from its own random offset (a sensor's noise, at a fraction of the cost of drawing it anew). */
const GRAIN_SIZE = 1 << 16;
let grainTable: Float32Array | null = null;
function grain(): Float32Array {
  if (grainTable === null) {
    const rng = new Rng(0x5eed);
    grainTable = Float32Array.from({ length: GRAIN_SIZE }, () => rng.gauss(1));
  }
  return grainTable;
}

/** Light and sensor noise over the finished picture; the id plane (and so the truth) is untouched. */
function expose(canvas: Canvas, lighting: Lighting, rng: Rng): void {
  const { width, height, rgb } = canvas;
  const table = grain();
  const mask = GRAIN_SIZE - 1;
  let g = rng.int(0, mask);
  const step = 2 * rng.int(1, 4000) + 1; // odd, so the walk visits every entry before it repeats
  const luma = lighting.noise;
  const chroma = lighting.noise * 0.4;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const gain = lighting.gain * (1 + lighting.slope * (x / width - 0.5));
      const o = (y * width + x) * 3;
      g = (g + step) & mask;
      const shared = (table[g] ?? 0) * luma;
      for (let c = 0; c < 3; c++) {
        const own = (table[(g * 7 + c * 8191) & mask] ?? 0) * chroma;
        rgb[o + c] = Math.max(0, Math.min(255, Math.round((rgb[o + c] ?? 0) * gain + shared + own)));
      }
    }
  }
}

/** Draws a frame into `canvas` (back to front) and reads its ground truth off the id plane. */
export function renderFrame(canvas: Canvas, content: FrameContent, rng: Rng, index: number, t: number): FrameTruth {
  const pen = new Pen(canvas);
  canvas.clear([0, 0, 0]);
  content.background(pen);
  const order = [...content.drawables].sort((a, b) => a.z - b.z);
  order.forEach((d, i) => d.draw(pen, i + 1));
  const boxes = truthBoxes(canvas, order);
  const hands = handKeypoints(pen, order);
  expose(canvas, content.lighting, rng);
  return { index, t, width: canvas.width, height: canvas.height, boxes, hands };
}
