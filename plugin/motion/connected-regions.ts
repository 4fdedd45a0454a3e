/** A blob of changed pixels in the small picture's pixel grid (x2, y2 exclusive). */
export interface PixelRegion {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly area: number;
}

/** 3x3 dilation of a 0/1 mask into `out`: closes the gaps that split one moving object into several blobs. */
export function dilate(mask: Uint8Array, width: number, height: number, out: Uint8Array): Uint8Array {
  for (let y = 0; y < height; y++) {
    const ya = Math.max(0, y - 1);
    const yb = Math.min(height - 1, y + 1);
    for (let x = 0; x < width; x++) {
      const xa = Math.max(0, x - 1);
      const xb = Math.min(width - 1, x + 1);
      let on = 0;
      for (let yy = ya; yy <= yb && on === 0; yy++) {
        for (let xx = xa; xx <= xb; xx++) {
          if (mask[yy * width + xx] === 1) {
            on = 1;
            break;
          }
        }
      }
      out[y * width + x] = on;
    }
  }
  return out;
}

/**
 * 8-connected components of a 0/1 mask by breadth-first labelling with one preallocated queue; components
 * smaller than `minArea` pixels are dropped. `scratch` (two arrays of width*height) is reused across frames.
 */
export function connectedRegions(
  mask: Uint8Array,
  width: number,
  height: number,
  minArea: number,
  scratch: { labels: Int32Array; queue: Int32Array } = { labels: new Int32Array(width * height), queue: new Int32Array(width * height) },
): PixelRegion[] {
  const { labels, queue } = scratch;
  labels.fill(0);
  const regions: PixelRegion[] = [];
  let next = 1;
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] !== 1 || labels[start] !== 0) continue;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    labels[start] = next;
    let x1 = width;
    let y1 = height;
    let x2 = 0;
    let y2 = 0;
    while (head < tail) {
      const p = queue[head++] ?? 0;
      const px = p % width;
      const py = (p - px) / width;
      if (px < x1) x1 = px;
      if (px > x2) x2 = px;
      if (py < y1) y1 = py;
      if (py > y2) y2 = py;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = py + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = px + dx;
          if (nx < 0 || nx >= width) continue;
          const q = ny * width + nx;
          if (mask[q] === 1 && labels[q] === 0) {
            labels[q] = next;
            queue[tail++] = q;
          }
        }
      }
    }
    if (tail >= minArea) regions.push({ x1, y1, x2: x2 + 1, y2: y2 + 1, area: tail });
    next++;
  }
  return regions;
}
