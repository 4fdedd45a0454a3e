import type { Detection } from '../../contracts/index.js';

export type Box = readonly [number, number, number, number];

export type TrackState = 'tentative' | 'confirmed';

/** One tracked object as the tracker reports it; boxes in the frame's pixels. */
export interface Track {
  readonly id: number;
  readonly label: string;
  readonly classId: number;
  readonly state: TrackState;
  /** Last matched box, or the constant-velocity prediction while the object is missed. */
  readonly box: Box;
  /** Score of the last matched detection. */
  readonly score: number;
  /** Mean score over the matched detections. */
  readonly meanScore: number;
  readonly hits: number;
  /** Frames in a row without a match (0 when seen this frame). */
  readonly missedFrames: number;
  readonly firstSeenAt: number;
  readonly lastSeenAt: number;
  readonly lastDetection: Detection;
}

/** Frames in, tracks out. Call `update` for every frame, with no detections for frames the motion gate skipped. */
export interface Tracker {
  update(detections: readonly Detection[], timestamp: number): TrackerUpdate;
}

export interface TrackerUpdate {
  /** Live tracks (tentative and confirmed, seen or briefly missed). */
  readonly tracks: readonly Track[];
  /** Tracks dropped this frame: missed too long, or tentative ones that missed once. */
  readonly removed: readonly Track[];
}
