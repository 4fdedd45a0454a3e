import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { Rng } from './rng.js';
import { SCENE_NAMES, SyntheticScene } from './scene.js';
import { TRUTH_CLASSES, type TruthBox } from './truth.js';

/** Seeds of held-out frames start here; training seeds are 1..N, so no held-out layout, cast or product is trained on. */
export const HELD_OUT_SEED_BASE = 100_000;
export const DATASET_SIZE = { width: 320, height: 240 } as const;
/** Boxes mostly hidden by something drawn over them (or a sliver at the edge) are not asked of the detector. */
export const isAsked = (b: TruthBox): boolean => b.visible >= 0.3 && b.x2 - b.x1 >= 2 && b.y2 - b.y1 >= 2;

/** The frames of a seed's scene that go into the dataset: random times within its first three minutes. */
export function frameIndexes(seed: number, scene: string, count: number): number[] {
  const pick = new Rng(seed * 31 + scene.length);
  return Array.from({ length: count }, () => pick.int(0, 1800));
}

/** Whether a hand lies on a product the detector is asked for: held, being scanned, slipped past, hidden. */
export function isHandOnProduct(boxes: readonly TruthBox[]): boolean {
  const hands = boxes.filter((b) => b.cls === 'hand' && isAsked(b));
  return boxes.some((p) => p.cls === 'product' && isAsked(p) && hands.some((h) => h.x1 < p.x2 && p.x1 < h.x2 && h.y1 < p.y2 && p.y1 < h.y2));
}

/** Tries a scene makes to find its frames with a hand on a product, per frame asked for. */
const HELD_TRIES = 12;

/**
 * Extra training frames where a hand is on a product (rare at random times: a few tenths of a second an item),
 * drawn from other random times than `frameIndexes` and kept only when `isHandOnProduct` holds.
 */
export function heldFrameIndexes(scene: SyntheticScene, seed: number, name: string, count: number): number[] {
  const pick = new Rng(seed * 131 + name.length * 7 + 1);
  const out: number[] = [];
  for (let tries = 0; out.length < count && tries < count * HELD_TRIES; tries++) {
    const index = pick.int(0, 1800);
    if (!out.includes(index) && isHandOnProduct(scene.render(index).truth.boxes)) out.push(index);
  }
  return out;
}

export interface DatasetOptions {
  readonly outDir: string;
  readonly trainSeeds: number;
  readonly heldOutSeeds: number;
  /** Frames drawn at random times from each scene of each seed. */
  readonly framesPerSeed: number;
  /**
   * Training split only: further frames a scene a seed where a hand is on a product (`heldFrameIndexes`).
   * The held-out split keeps its random times, so its figures stay comparable with earlier models'.
   */
  readonly heldFramesPerSeed?: number;
}

interface LabelledFrame {
  readonly scene: string;
  readonly seed: number;
  readonly index: number;
  /** random: one of `frameIndexes`; held: one of `heldFrameIndexes`. */
  readonly kind: 'random' | 'held';
  /** [class id, x1, y1, x2, y2], pixels, x2/y2 exclusive. */
  readonly boxes: Array<[number, number, number, number, number]>;
}

async function renderSplit(dir: string, seeds: readonly number[], framesPerSeed: number, heldFramesPerSeed: number): Promise<number> {
  await mkdir(dir, { recursive: true });
  const images = createWriteStream(join(dir, 'images.rgb'));
  const frames: LabelledFrame[] = [];
  for (const seed of seeds) {
    for (const scene of SCENE_NAMES) {
      const s = new SyntheticScene({ scene, seed, ...DATASET_SIZE, fps: 10 });
      const held = heldFramesPerSeed > 0 ? heldFrameIndexes(s, seed, scene, heldFramesPerSeed) : [];
      const picks = [...frameIndexes(seed, scene, framesPerSeed).map((index) => ({ index, kind: 'random' as const })), ...held.map((index) => ({ index, kind: 'held' as const }))];
      for (const { index, kind } of picks) {
        const { rgb, truth } = s.render(index);
        if (!images.write(Buffer.from(rgb))) await once(images, 'drain');
        const boxes = truth.boxes
          .filter(isAsked)
          .map((b): [number, number, number, number, number] => [TRUTH_CLASSES.indexOf(b.cls), b.x1, b.y1, b.x2, b.y2]);
        frames.push({ scene, seed, index, kind, boxes });
      }
    }
  }
  images.end();
  await once(images, 'finish');
  await writeFile(join(dir, 'labels.json'), JSON.stringify({ ...DATASET_SIZE, classes: TRUTH_CLASSES, frames }));
  return frames.length;
}

/**
 * Renders the detector's training set: <out>/{train,val}/images.rgb (320x240 rgb24 frames back to back) and
 * labels.json beside each. Train seeds are 1..trainSeeds, held-out seeds HELD_OUT_SEED_BASE onwards; the training
 * split adds `heldFramesPerSeed` frames a scene a seed with a hand on a product.
 */
export async function writeDataset(o: DatasetOptions): Promise<{ train: number; heldOut: number }> {
  const train = await renderSplit(join(o.outDir, 'train'), Array.from({ length: o.trainSeeds }, (_, i) => i + 1), o.framesPerSeed, o.heldFramesPerSeed ?? 0);
  const heldOut = await renderSplit(join(o.outDir, 'val'), Array.from({ length: o.heldOutSeeds }, (_, i) => HELD_OUT_SEED_BASE + i), o.framesPerSeed, 0);
  return { train, heldOut };
}
