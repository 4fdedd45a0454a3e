/**
 * Renders the synthetic training set: `node --import tsx models/training/render-dataset.ts <out-dir> [train-seeds] [val-seeds]`.
 * Writes <out>/<split>/images.rgb (frames of 320x240 rgb24, back to back) and <split>/labels.json (per frame:
 * boxes as [class id, x1, y1, x2, y2] in pixels). Train seeds are 1..N, held-out seeds start at 100000, so no
 * layout, cast or product of the held-out set is ever trained on.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { SCENE_NAMES, SyntheticScene, TRUTH_CLASSES } from '../../plugin/scenes/index.js';
import { Rng } from '../../plugin/scenes/rng.js';

export const HELD_OUT_SEED_BASE = 100_000;
const FRAMES_PER_SEED = 18;
/** Boxes mostly hidden by something drawn over them are not asked of the detector. */
const MIN_VISIBLE = 0.3;

interface LabelledFrame {
  readonly scene: string;
  readonly seed: number;
  readonly index: number;
  readonly boxes: Array<[number, number, number, number, number]>;
}

async function renderSplit(dir: string, seeds: readonly number[]): Promise<number> {
  await mkdir(dir, { recursive: true });
  const images = createWriteStream(join(dir, 'images.rgb'));
  const labels: LabelledFrame[] = [];
  for (const seed of seeds) {
    for (const scene of SCENE_NAMES) {
      const s = new SyntheticScene({ scene, seed, width: 320, height: 240, fps: 10 });
      const pick = new Rng(seed * 31 + scene.length);
      for (let n = 0; n < FRAMES_PER_SEED; n++) {
        const index = pick.int(0, 1800);
        const { rgb, truth } = s.render(index);
        if (!images.write(Buffer.from(rgb))) await once(images, 'drain');
        const boxes = truth.boxes
          .filter((b) => b.visible >= MIN_VISIBLE && b.x2 - b.x1 >= 2 && b.y2 - b.y1 >= 2)
          .map((b): [number, number, number, number, number] => [TRUTH_CLASSES.indexOf(b.cls), b.x1, b.y1, b.x2, b.y2]);
        labels.push({ scene, seed, index, boxes });
      }
    }
  }
  images.end();
  await once(images, 'finish');
  await writeFile(join(dir, 'labels.json'), JSON.stringify({ width: 320, height: 240, classes: TRUTH_CLASSES, frames: labels }));
  return labels.length;
}

async function main(): Promise<void> {
  const [out = '.vigil/retail-dataset', trainText = '60', valText = '6'] = process.argv.slice(2);
  const train = Array.from({ length: Number(trainText) }, (_, i) => i + 1);
  const val = Array.from({ length: Number(valText) }, (_, i) => HELD_OUT_SEED_BASE + i);
  const n = await renderSplit(join(out, 'train'), train);
  const m = await renderSplit(join(out, 'val'), val);
  process.stdout.write(`rendered ${n} training and ${m} held-out frames into ${out}\n`);
}

await main();
