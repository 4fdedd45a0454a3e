/** A polygon in normalised frame coordinates (0..1), vertices in order. */
export type NormalisedPolygon = ReadonlyArray<readonly [number, number]>;

function inside(x: number, y: number, polygon: NormalisedPolygon): boolean {
  let isIn = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i] ?? [0, 0];
    const [xj, yj] = polygon[j] ?? [0, 0];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) isIn = !isIn;
  }
  return isIn;
}

/** 1 where a pixel centre of the small picture lies in any zone; all 1 when there are no zones (whole frame active). */
export function rasteriseZones(zones: readonly NormalisedPolygon[], width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  if (zones.length === 0) return mask.fill(1);
  for (let y = 0; y < height; y++) {
    const ny = (y + 0.5) / height;
    for (let x = 0; x < width; x++) {
      const nx = (x + 0.5) / width;
      if (zones.some((z) => inside(nx, ny, z))) mask[y * width + x] = 1;
    }
  }
  return mask;
}
