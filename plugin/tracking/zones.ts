import type { Zone } from '../../contracts/index.js';
import type { Box } from './track.js';

export { ZONE_TYPES, zoneTypeSchema, zoneSchema, type Zone, type ZoneType } from '../../contracts/index.js';

/** Labels placed by their box centre: things held or lying somewhere, whose bottom edge says nothing of where they are. */
export const DEFAULT_CENTRE_LABELS: readonly string[] = ['hand', 'product', 'item', 'bottle', 'cell phone', 'handbag', 'backpack'];

/** Even-odd ray casting; points on an edge may fall either way. */
export function pointInPolygon(x: number, y: number, polygon: ReadonlyArray<readonly [number, number]>): boolean {
  let isIn = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i] ?? [0, 0];
    const [xj, yj] = polygon[j] ?? [0, 0];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) isIn = !isIn;
  }
  return isIn;
}

/**
 * The normalised point that decides zone membership: bottom-centre (where a person or cart stands on the floor),
 * or the box centre for the labels in `centreLabels`.
 */
export function anchorPoint(label: string, box: Box, frame: { width: number; height: number }, centreLabels: ReadonlySet<string>): [number, number] {
  const x = (box[0] + box[2]) / 2 / frame.width;
  const y = (centreLabels.has(label) ? (box[1] + box[3]) / 2 : box[3]) / frame.height;
  return [x, y];
}

export function zonesAt(point: readonly [number, number], zones: readonly Zone[]): Zone[] {
  return zones.filter((zone) => pointInPolygon(point[0], point[1], zone.polygon));
}
