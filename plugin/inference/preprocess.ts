/** What preprocessing needs of a frame: tightly packed pixels and their layout. */
export interface ImageView {
  readonly width: number;
  readonly height: number;
  readonly format: 'rgb24' | 'bgr24' | 'gray';
  readonly data: Uint8Array;
}

export interface PreprocessSpec {
  readonly width: number;
  readonly height: number;
  readonly channelOrder: 'rgb' | 'bgr';
  /** Per model channel, 0..255 units: value = (pixel - mean) / std. */
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
  readonly padValue: number;
}

/** How the source image sits inside the model input: input = source * scale + pad. */
export interface Letterbox {
  readonly scale: number;
  readonly padX: number;
  readonly padY: number;
  readonly sourceWidth: number;
  readonly sourceHeight: number;
}

export function computeLetterbox(sourceWidth: number, sourceHeight: number, width: number, height: number): Letterbox {
  const scale = Math.min(width / sourceWidth, height / sourceHeight);
  const innerW = Math.max(1, Math.round(sourceWidth * scale));
  const innerH = Math.max(1, Math.round(sourceHeight * scale));
  return { scale, padX: Math.floor((width - innerW) / 2), padY: Math.floor((height - innerH) / 2), sourceWidth, sourceHeight };
}

/** Maps a box from model-input pixels back to source pixels, clipped to the source image. */
export function unletterboxBox(lb: Letterbox, x1: number, y1: number, x2: number, y2: number): [number, number, number, number] {
  const clampX = (v: number): number => Math.min(lb.sourceWidth, Math.max(0, (v - lb.padX) / lb.scale));
  const clampY = (v: number): number => Math.min(lb.sourceHeight, Math.max(0, (v - lb.padY) / lb.scale));
  return [clampX(x1), clampY(y1), clampX(x2), clampY(y2)];
}

/** Source channel offsets (within a pixel) feeding each model channel, and bytes per pixel. */
function channelMap(format: ImageView['format'], order: 'rgb' | 'bgr'): { offsets: [number, number, number]; stride: number } {
  if (format === 'gray') return { offsets: [0, 0, 0], stride: 1 };
  const sameOrder = (format === 'rgb24') === (order === 'rgb');
  return { offsets: sameOrder ? [0, 1, 2] : [2, 1, 0], stride: 3 };
}

/** Bilinear sample positions along one axis, aligned on pixel centres (as OpenCV's INTER_LINEAR). */
function axisTable(inner: number, source: number, scale: number): { i0: Int32Array; i1: Int32Array; w: Float32Array } {
  const i0 = new Int32Array(inner);
  const i1 = new Int32Array(inner);
  const w = new Float32Array(inner);
  for (let d = 0; d < inner; d++) {
    const s = Math.min(source - 1, Math.max(0, (d + 0.5) / scale - 0.5));
    const lo = Math.floor(s);
    i0[d] = lo;
    i1[d] = Math.min(source - 1, lo + 1);
    w[d] = s - lo;
  }
  return { i0, i1, w };
}

/**
 * Letterboxes (aspect ratio kept, centred, padded), reorders channels, normalises and writes planar CHW
 * float32 into `out` (allocated when absent, reused by the worker). Only per-axis tables are allocated.
 */
export function preprocess(src: ImageView, spec: PreprocessSpec, out?: Float32Array): { tensor: Float32Array; letterbox: Letterbox } {
  const { width: W, height: H } = spec;
  const plane = W * H;
  const tensor = out !== undefined && out.length === 3 * plane ? out : new Float32Array(3 * plane);
  const lb = computeLetterbox(src.width, src.height, W, H);
  const innerW = Math.min(W - lb.padX, Math.max(1, Math.round(src.width * lb.scale)));
  const innerH = Math.min(H - lb.padY, Math.max(1, Math.round(src.height * lb.scale)));
  const { offsets, stride } = channelMap(src.format, spec.channelOrder);
  const inv = spec.std.map((s) => 1 / s);
  const bias = spec.mean.map((m, c) => -m * (inv[c] ?? 1));
  for (let c = 0; c < 3; c++) {
    const padded = (spec.padValue - (spec.mean[c] ?? 0)) * (inv[c] ?? 1);
    tensor.fill(padded, c * plane, (c + 1) * plane);
  }
  const xs = axisTable(innerW, src.width, lb.scale);
  const ys = axisTable(innerH, src.height, lb.scale);
  const rowBytes = src.width * stride;
  const data = src.data;
  for (let c = 0; c < 3; c++) {
    const off = offsets[c] ?? 0;
    const k = inv[c] ?? 1;
    const b = bias[c] ?? 0;
    const base = c * plane;
    for (let y = 0; y < innerH; y++) {
      const r0 = (ys.i0[y] ?? 0) * rowBytes + off;
      const r1 = (ys.i1[y] ?? 0) * rowBytes + off;
      const wy = ys.w[y] ?? 0;
      let o = base + (y + lb.padY) * W + lb.padX;
      for (let x = 0; x < innerW; x++, o++) {
        const a = (xs.i0[x] ?? 0) * stride;
        const e = (xs.i1[x] ?? 0) * stride;
        const wx = xs.w[x] ?? 0;
        const top = (data[r0 + a] ?? 0) + ((data[r0 + e] ?? 0) - (data[r0 + a] ?? 0)) * wx;
        const bottom = (data[r1 + a] ?? 0) + ((data[r1 + e] ?? 0) - (data[r1 + a] ?? 0)) * wx;
        tensor[o] = (top + (bottom - top) * wy) * k + b;
      }
    }
  }
  return { tensor, letterbox: lb };
}
