import type { Pen } from './pen.js';
import type { Vec } from './raster.js';
import type { TruthClass } from './truth.js';

/** One named point of an object (a hand's wrist, palm, fingertip), reference-frame coordinates. */
export interface NamedPoint {
  readonly name: string;
  readonly p: Vec;
}

/** Something drawn in a frame; `cls` null for props (belt, shelves) that carry no ground truth. */
export interface Drawable {
  readonly trackId: string;
  readonly cls: TruthClass | null;
  /** Drawing order: higher is drawn later, on top. */
  readonly z: number;
  /** The track whose box includes this one's pixels (a hand belongs to its person). */
  readonly partOf?: string;
  readonly keypoints?: readonly NamedPoint[];
  draw(pen: Pen, id: number): void;
}
