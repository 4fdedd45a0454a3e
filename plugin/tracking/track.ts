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
  /** Detector passes in a row without a match (0 when seen on the last pass). */
  readonly missedFrames: number;
  readonly firstSeenAt: number;
  readonly lastSeenAt: number;
  readonly lastDetection: Detection;
}

export interface TrackerFrameOptions {
  /** false: the detector did not look at this frame (the motion gate skipped it); tracks only age by time. */
  readonly isDetected?: boolean;
}

/** Frames in, tracks out. Call `update` for every frame; for frames the detector skipped, say so. */
export interface Tracker {
  update(detections: readonly Detection[], timestamp: number, options?: TrackerFrameOptions): TrackerUpdate;
  /** Drops every track (the stream restarted); returns them. */
  reset(): Track[];
}

export interface TrackerUpdate {
  /** Live tracks (tentative and confirmed, seen or briefly missed). */
  readonly tracks: readonly Track[];
  /** Tracks dropped this frame: missed too long, or tentative ones that missed once. */
  readonly removed: readonly Track[];
}
