import type { Detection } from '../../contracts/index.js';
import type { Keypoint } from '../../plugin/rules/index.js';
import type { Box } from '../../plugin/tracking/index.js';
import { clamp01, type Point } from './geometry.js';
import type { Rng } from './prng.js';
import { FRAME, type Actor } from './world.js';

/** How imperfect the simulated detector is. */
export interface DetectorNoise {
  /** Chance per frame that an object is not detected. */
  readonly missRate: number;
  /** Chance that a detection comes with a low score (only the tracker's second pass keeps it). */
  readonly lowScoreRate: number;
  /** Box edge jitter, as a share of the box size (standard deviation). */
  readonly jitter: number;
  /** Chance per frame of a spurious one-frame product detection somewhere. */
  readonly ghostRate: number;
}

export const DEFAULT_NOISE: DetectorNoise = { missRate: 0.05, lowScoreRate: 0.05, jitter: 0.03, ghostRate: 0.02 };

const CLASS_IDS: Readonly<Record<string, number>> = { person: 0, product: 1, cart: 2 };

/** The true box of an actor at its anchor, normalised (not clipped to the frame). */
export function trueBox(actor: Actor, anchor: Point): Box {
  const [w, h] = actor.size;
  const [x, y] = anchor;
  return actor.kind === 'product' ? [x - w / 2, y - h / 2, x + w / 2, y + h / 2] : [x - w / 2, y - h, x + w / 2, y];
}

const toPixels = (b: Box): Box => [b[0] * FRAME.width, b[1] * FRAME.height, b[2] * FRAME.width, b[3] * FRAME.height];

/** The part of a box inside the frame, and the share of its area that is. */
function clip(box: Box): { box: Box; visible: number } {
  const c: Box = [clamp01(box[0]), clamp01(box[1]), clamp01(box[2]), clamp01(box[3])];
  const area = (b: Box) => Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);
  return { box: c, visible: area(box) > 0 ? area(c) / area(box) : 0 };
}

function noisy(rng: Rng, box: Box, jitter: number): Box {
  const w = box[2] - box[0];
  const h = box[3] - box[1];
  return [box[0] + rng.gauss(jitter * w), box[1] + rng.gauss(jitter * h), box[2] + rng.gauss(jitter * w), box[3] + rng.gauss(jitter * h)];
}

function detectionOf(actor: Actor, box: Box, rng: Rng, noise: DetectorNoise): Detection {
  const score = rng.chance(noise.lowScoreRate) ? rng.range(0.2, 0.45) : rng.range(0.65, 0.97);
  return { label: actor.label, classId: CLASS_IDS[actor.kind] ?? 9, score, box: toPixels(noisy(rng, box, noise.jitter)) };
}

function ghost(rng: Rng): Detection {
  const x = rng.range(0.05, 0.95);
  const y = rng.range(0.05, 0.95);
  return { label: 'product', classId: 1, score: rng.range(0.6, 0.7), box: toPixels([x - 0.02, y - 0.025, x + 0.02, y + 0.025]) };
}

/** One frame's detections: every actor in view, with jitter, scores, misses and the odd ghost. */
export function render(actors: readonly Actor[], t: number, rng: Rng, noise: DetectorNoise = DEFAULT_NOISE): Detection[] {
  const out: Detection[] = [];
  for (const actor of actors) {
    const anchor = actor.at(t);
    if (anchor === undefined) continue;
    const { box, visible } = clip(trueBox(actor, anchor));
    if (visible < 0.5 || rng.chance(noise.missRate)) continue;
    out.push(detectionOf(actor, box, rng, noise));
  }
  if (rng.chance(noise.ghostRate)) out.push(ghost(rng));
  return out;
}

/** COCO-style keypoints of a standing person whose feet are at `feet`, right wrist at `hand` when holding something. */
export function keypointsOf(actor: Actor, t: number, rng: Rng): Keypoint[] | undefined {
  const feet = actor.at(t);
  if (feet === undefined) return undefined;
  const [w, h] = actor.size;
  const [x, y] = feet;
  const at = (name: string, dx: number, dy: number): Keypoint => ({
    name,
    x: clamp01(x + dx * w + rng.gauss(0.01)),
    y: clamp01(y - dy * h + rng.gauss(0.01)),
    score: rng.range(0.5, 0.95),
  });
  const hand = actor.hand?.(t);
  const right: Keypoint = hand === undefined ? at('right_wrist', 0.4, 0.5) : { name: 'right_wrist', x: clamp01(hand[0]), y: clamp01(hand[1]), score: rng.range(0.5, 0.95) };
  return [
    at('nose', 0, 0.93),
    at('left_shoulder', -0.35, 0.8),
    at('right_shoulder', 0.35, 0.8),
    at('left_elbow', -0.42, 0.63),
    at('right_elbow', 0.42, 0.63),
    at('left_wrist', -0.4, 0.5),
    right,
    at('left_hip', -0.25, 0.5),
    at('right_hip', 0.25, 0.5),
    at('left_knee', -0.22, 0.27),
    at('right_knee', 0.22, 0.27),
    at('left_ankle', -0.2, 0.03),
    at('right_ankle', 0.2, 0.03),
  ];
}
