import type { Zone } from '../../contracts/index.js';
import type { Track } from '../tracking/index.js';
import type { TrackZoneHistory } from './zone-history.js';

/** How long a product may be out of sight between the load area and bagging to be taken for the same one. */
export const LOST_PRODUCT_LINK_MS = 3_000;
/** A lost product counts only if its last box was this many of its own sizes from the scanner or nearer. */
const REACH_IN_SIZES = 2;

/** Distance from the box (normalised) to the zone polygon's bounding box, 0 when they overlap. */
function distanceToZone(box: readonly [number, number, number, number], zone: Zone): number {
  const xs = zone.polygon.map((p) => p[0]);
  const ys = zone.polygon.map((p) => p[1]);
  const dx = Math.max(0, Math.min(...xs) - box[2], box[0] - Math.max(...xs));
  const dy = Math.max(0, Math.min(...ys) - box[3], box[1] - Math.max(...ys));
  return Math.hypot(dx, dy);
}

/** The track's last matched box is within reach of one of the zones (a cashier's grab away from the scanner). */
export function isWithinReachOf(track: Track, zones: readonly Zone[], frame: { readonly width: number; readonly height: number }): boolean {
  const [x1, y1, x2, y2] = track.lastDetection.box;
  const box = [x1 / frame.width, y1 / frame.height, x2 / frame.width, y2 / frame.height] as const;
  const reach = REACH_IN_SIZES * Math.max(box[2] - box[0], box[3] - box[1]);
  return zones.some((zone) => distanceToZone(box, zone) <= reach);
}

/**
 * The product a track that first appears in bagging at `at` most likely is: one lost from sight in the load area
 * within LOST_PRODUCT_LINK_MS before, near the scanner, never seen on it, not yet followed, while no product was
 * seen on the scanner; the latest lost first.
 * A product in the cashier's grip is often not detected as one, so its track breaks between belt and bagging.
 */
export function lostProductFor(at: number, history: TrackZoneHistory, scanners: readonly Zone[], frame: { readonly width: number; readonly height: number }, isFollowed: (trackId: number) => boolean): Track | undefined {
  // Another product seen on the scanner meanwhile is most likely this one, taken up there by a third track.
  const isScannerBusy = (lostAt: number): boolean => history.seenIn('scanner', lostAt, at).length > 0;
  const candidates = history.lostIn('load', at - LOST_PRODUCT_LINK_MS, at)
    .map((c) => c.track)
    .filter((t) => !isFollowed(t.id) && !history.stays(t.id).some((s) => s.type === 'scanner') && isWithinReachOf(t, scanners, frame) && !isScannerBusy(t.lastSeenAt));
  return candidates.sort((a, b) => b.lastSeenAt - a.lastSeenAt)[0];
}
