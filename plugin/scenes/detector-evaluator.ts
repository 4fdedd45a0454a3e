import type { Detection } from '../../contracts/index.js';
import { averagePrecision, type Box, type ImageOfClass } from './average-precision.js';
import { DATASET_SIZE, frameIndexes, HELD_OUT_SEED_BASE, isAsked } from './dataset-writer.js';
import { SCENE_NAMES, SyntheticScene } from './scene.js';
import { TRUTH_CLASSES, type TruthClass } from './truth.js';

/** What the evaluation needs of a detector: pixel boxes for an rgb24 frame (OnnxDetector.detectFrame fits). */
export interface FrameDetector {
  detectFrame(frame: { width: number; height: number; format: 'rgb24'; data: Uint8Array }): Promise<{ detections: Detection[] }>;
}

export interface Evaluation {
  readonly frames: number;
  readonly seeds: readonly number[];
  /** AP at IoU 0.5 per class, and how many truths each had. */
  readonly classes: Record<TruthClass, { readonly ap50: number; readonly truths: number }>;
  readonly map50: number;
}

/**
 * mAP@0.5 of a detector on the held-out frames of the dataset (the same seeds and frame times the training
 * recipe holds out). Run the detector with a low score threshold (0.05) so the whole precision-recall curve counts.
 */
export async function evaluateDetector(detector: FrameDetector, heldOutSeeds: number, framesPerSeed: number): Promise<Evaluation> {
  return evaluateDetectorOn(detector, Array.from({ length: heldOutSeeds }, (_, i) => HELD_OUT_SEED_BASE + i), framesPerSeed);
}

/** mAP@0.5 on the dataset's frame times of these seeds' scenes (`vigil eval` passes the seeds it held out). */
export async function evaluateDetectorOn(detector: FrameDetector, seeds: readonly number[], framesPerSeed: number, scenes: ReadonlyArray<(typeof SCENE_NAMES)[number]> = SCENE_NAMES): Promise<Evaluation> {
  const perClass = new Map<TruthClass, ImageOfClass[]>(TRUTH_CLASSES.map((c) => [c, []]));
  let frames = 0;
  for (const seed of seeds) {
    for (const name of scenes) {
      const scene = new SyntheticScene({ scene: name, seed, ...DATASET_SIZE, fps: 10 });
      for (const index of frameIndexes(seed, name, framesPerSeed)) {
        const { rgb, truth } = scene.render(index);
        const { detections } = await detector.detectFrame({ ...DATASET_SIZE, format: 'rgb24', data: Uint8Array.from(rgb) });
        frames++;
        for (const cls of TRUTH_CLASSES) {
          perClass.get(cls)?.push({
            truths: truth.boxes.filter((b) => b.cls === cls && isAsked(b)).map((b): Box => [b.x1, b.y1, b.x2, b.y2]),
            detections: detections.filter((d) => d.label === cls).map((d) => ({ box: d.box, score: d.score })),
          });
        }
      }
    }
  }
  const entries = TRUTH_CLASSES.map((cls) => {
    const images = perClass.get(cls) ?? [];
    return [cls, { ap50: averagePrecision(images), truths: images.reduce((n, i) => n + i.truths.length, 0) }] as const;
  });
  const classes = Object.fromEntries(entries) as Record<TruthClass, { ap50: number; truths: number }>;
  const aps = entries.map(([, v]) => v.ap50).filter((v) => !Number.isNaN(v));
  return { frames, seeds, classes, map50: aps.reduce((a, b) => a + b, 0) / Math.max(1, aps.length) };
}
