import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import type { Detection } from '../../contracts/index.js';
import { OnnxDetector } from '../inference/onnx-detector.js';
import { SyntheticScene, type TruthBox, type TruthClass } from './index.js';

const here = fileURLToPath(new URL('../../models/retail-detector/', import.meta.url));
const modelPath = join(here, 'retail-detector.onnx');
const manifestPath = join(here, 'manifest.json');
/** Seeds far from the training seeds (1..100) and the held-out evaluation seeds of the model card. */
const TEST_SEEDS = [700_001, 700_002, 700_003, 700_004, 700_005];

let detector: OnnxDetector;
let scratch: string;
before(async () => {
  detector = await OnnxDetector.create({ modelPath, manifestPath, poolSize: 1 });
  scratch = await mkdtemp(join(tmpdir(), 'vigil-retail-detector-'));
});
after(async () => {
  await detector.close();
  await rm(scratch, { recursive: true, force: true });
});

function iou(a: readonly [number, number, number, number], b: TruthBox): number {
  const w = Math.max(0, Math.min(a[2], b.x2) - Math.max(a[0], b.x1));
  const h = Math.max(0, Math.min(a[3], b.y2) - Math.max(a[1], b.y1));
  const inter = w * h;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter);
}

interface Tally {
  truths: number;
  found: number;
  detections: number;
  matched: number;
}

/** Greedy one-to-one matching at IoU >= 0.5 within one class. */
function tally(into: Tally, detections: readonly Detection[], truths: readonly TruthBox[]): void {
  const used = new Set<number>();
  into.truths += truths.length;
  into.detections += detections.length;
  for (const d of [...detections].sort((a, b) => b.score - a.score)) {
    let best = -1;
    let bestIou = 0.5;
    truths.forEach((t, i) => {
      const v = iou(d.box, t);
      if (!used.has(i) && v >= bestIou) {
        best = i;
        bestIou = v;
      }
    });
    if (best >= 0) {
      used.add(best);
      into.matched++;
    }
  }
  into.found += used.size;
}

/** 20 held-out frames (both scenes) with somebody in view, through the plugin's real detector. */
async function runHeldOut(): Promise<Record<'person' | 'product', Tally>> {
  const tallies = { person: { truths: 0, found: 0, detections: 0, matched: 0 }, product: { truths: 0, found: 0, detections: 0, matched: 0 } };
  let frames = 0;
  for (const seed of TEST_SEEDS) {
    for (const name of ['checkout', 'aisle'] as const) {
      const scene = new SyntheticScene({ scene: name, seed, width: 320, height: 240 });
      for (const index of [55, 85]) {
        const { rgb, truth } = scene.render(index);
        const data = Uint8Array.from(rgb);
        const { detections } = await detector.detectFrame({ width: truth.width, height: truth.height, format: 'rgb24', data });
        frames++;
        for (const cls of ['person', 'product'] as const satisfies readonly TruthClass[]) {
          const truths = truth.boxes.filter((b) => b.cls === cls && b.visible >= 0.5);
          tally(tallies[cls], detections.filter((d) => d.label === cls), truths);
        }
      }
    }
  }
  assert.equal(frames, 20);
  return tallies;
}

test('the committed retail detector, through OnnxDetector and the yolov8 decoder, finds the persons and products of held-out scenes', async () => {
  assert.deepEqual(detector.manifest.classes, ['person', 'hand', 'product', 'cart']);
  const { person, product } = await runHeldOut();
  assert.ok(person.truths >= 20, `${person.truths} persons in view`);
  assert.ok(person.found / person.truths >= 0.8, `person recall ${person.found}/${person.truths}`);
  assert.ok(person.matched / person.detections >= 0.7, `person precision ${person.matched}/${person.detections}`);
  assert.ok(product.found / product.truths >= 0.8, `product recall ${product.found}/${product.truths}`);
  assert.ok(product.matched / product.detections >= 0.7, `product precision ${product.matched}/${product.detections}`);
});

test('the manifest’s SHA-256 refuses a corrupted copy of the model', async () => {
  const copy = join(scratch, 'retail-detector.onnx');
  const bytes = await readFile(modelPath);
  const manifest: unknown = JSON.parse(await readFile(manifestPath, 'utf8'));
  await writeFile(join(scratch, 'manifest.json'), JSON.stringify(manifest));
  // One flipped bit in the middle of the weights.
  const middle = Math.floor(bytes.length / 2);
  bytes[middle] = (bytes[middle] ?? 0) ^ 0x01;
  await writeFile(copy, bytes);
  await assert.rejects(OnnxDetector.create({ modelPath: copy, manifestPath: join(scratch, 'manifest.json'), poolSize: 1 }), (error: unknown) => {
    assert.ok(error instanceof Error && 'code' in error && error.code === 'model_invalid');
    assert.match(error.message, /SHA-256/);
    return true;
  });
  // The intact file next to the same manifest loads.
  await copyFile(modelPath, copy);
  const ok = await OnnxDetector.create({ modelPath: copy, manifestPath: join(scratch, 'manifest.json'), poolSize: 1 });
  await ok.close();
});
