/** Pixels as capture hands them over (a `Frame` fits). */
export interface PixelSource {
  readonly width: number;
  readonly height: number;
  readonly format: 'rgb24' | 'bgr24' | 'gray';
  readonly data: Uint8Array;
}

export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** Size of the small grey picture for a frame: `targetWidth` wide (never wider than the frame), same aspect. */
export function smallSize(width: number, height: number, targetWidth: number): { width: number; height: number } {
  const w = Math.max(1, Math.min(width, targetWidth));
  return { width: w, height: Math.max(1, Math.round((height * w) / width)) };
}

/**
 * Block-averaged grey thumbnail (BT.601 luma in integer arithmetic). Each output pixel averages up to 4x4
 * samples spread over its source block: enough to smooth sensor noise without reading every source pixel.
 */
export function downscaleGray(src: PixelSource, targetWidth: number, out?: Uint8Array): GrayImage {
  const { width, height } = smallSize(src.width, src.height, targetWidth);
  const data = out !== undefined && out.length === width * height ? out : new Uint8Array(width * height);
  const bpp = src.format === 'gray' ? 1 : 3;
  const [rOff, bOff] = src.format === 'bgr24' ? [2, 0] : [0, 2];
  const fx = src.width / width;
  const fy = src.height / height;
  const stepX = Math.max(1, Math.floor(fx / 4));
  const stepY = Math.max(1, Math.floor(fy / 4));
  const s = src.data;
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(y * fy);
    const y1 = Math.max(y0 + 1, Math.floor((y + 1) * fy));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor(x * fx);
      const x1 = Math.max(x0 + 1, Math.floor((x + 1) * fx));
      let sum = 0;
      let n = 0;
      for (let sy = y0; sy < y1; sy += stepY) {
        let p = (sy * src.width + x0) * bpp;
        for (let sx = x0; sx < x1; sx += stepX, p += stepX * bpp) {
          sum += bpp === 1 ? (s[p] ?? 0) : ((s[p + rOff] ?? 0) * 77 + (s[p + 1] ?? 0) * 150 + (s[p + bOff] ?? 0) * 29) >> 8;
          n++;
        }
      }
      data[y * width + x] = n === 0 ? 0 : Math.round(sum / n);
    }
  }
  return { width, height, data };
}
