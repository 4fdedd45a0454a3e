import type { Box } from '../tracking/index.js';
import type { Keypoint } from './rule.js';

/** A rectangle in normalised frame coordinates. */
export interface Region {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

export const isInRegion = (x: number, y: number, r: Region): boolean => x >= r.x1 && x <= r.x2 && y >= r.y1 && y <= r.y2;

const named = (keypoints: readonly Keypoint[], minScore: number, ...names: string[]): Keypoint[] =>
  keypoints.filter((k) => names.includes(k.name) && k.score >= minScore);

/**
 * The torso from pose keypoints: between the shoulders and the hips, widened by a quarter of its width on each
 * side (pockets, a bag at the hip); undefined without a confident shoulder and hip.
 */
export function torsoFromKeypoints(keypoints: readonly Keypoint[], minScore: number): Region | undefined {
  const shoulders = named(keypoints, minScore, 'left_shoulder', 'right_shoulder');
  const hips = named(keypoints, minScore, 'left_hip', 'right_hip');
  if (shoulders.length === 0 || hips.length === 0) return undefined;
  const xs = [...shoulders, ...hips].map((k) => k.x);
  const x1 = Math.min(...xs);
  const x2 = Math.max(...xs);
  const margin = Math.max((x2 - x1) * 0.25, 0.01);
  const top = Math.min(...shoulders.map((k) => k.y));
  const bottom = Math.max(...hips.map((k) => k.y));
  return { x1: x1 - margin, y1: top, x2: x2 + margin, y2: bottom + (bottom - top) * 0.1 };
}

export const wristsOf = (keypoints: readonly Keypoint[], minScore: number): Keypoint[] => named(keypoints, minScore, 'left_wrist', 'right_wrist');

/** The torso band of a person's box (normalised): the box's width, between two fractions of its height. */
export function torsoFromBox(box: Box, frame: { width: number; height: number }, band: { top: number; bottom: number }): Region {
  const height = box[3] - box[1];
  return { x1: box[0] / frame.width, y1: (box[1] + height * band.top) / frame.height, x2: box[2] / frame.width, y2: (box[1] + height * band.bottom) / frame.height };
}
