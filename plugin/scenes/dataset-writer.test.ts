import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sha256OfFile } from '../inference/model-digest.js';
import { DATASET_SIZE, heldFrameIndexes, isHandOnProduct, writeDataset } from './dataset-writer.js';
import { SyntheticScene } from './scene.js';
import { publishModel } from './model-publisher.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-dataset-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('the dataset holds one 320x240 rgb24 frame a label entry, with boxes inside the frame, in both splits', async () => {
  const counts = await writeDataset({ outDir: dir, trainSeeds: 1, heldOutSeeds: 1, framesPerSeed: 2 });
  assert.deepEqual(counts, { train: 4, heldOut: 4 });
  for (const split of ['train', 'val']) {
    const { size } = await stat(join(dir, split, 'images.rgb'));
    assert.equal(size, 4 * DATASET_SIZE.width * DATASET_SIZE.height * 3);
    const labels = JSON.parse(await readFile(join(dir, split, 'labels.json'), 'utf8')) as { classes: string[]; frames: Array<{ seed: number; boxes: number[][] }> };
    assert.deepEqual(labels.classes, ['person', 'hand', 'product', 'cart']);
    assert.equal(labels.frames.length, 4);
    for (const box of labels.frames.flatMap((f) => f.boxes)) {
      const [cls = -1, x1 = -1, y1 = -1, x2 = 0, y2 = 0] = box;
      assert.ok(cls >= 0 && cls < 4 && x1 >= 0 && y1 >= 0 && x2 <= DATASET_SIZE.width && y2 <= DATASET_SIZE.height && x2 > x1 && y2 > y1);
    }
    assert.ok(labels.frames.every((f) => (split === 'train' ? f.seed === 1 : f.seed >= 100_000)), 'held-out seeds are apart from training seeds');
  }
});

test('held frames: the training split adds frames with a hand on a product, the held-out split keeps its random times', async () => {
  const out = join(dir, 'held');
  const counts = await writeDataset({ outDir: out, trainSeeds: 1, heldOutSeeds: 1, framesPerSeed: 2, heldFramesPerSeed: 2 });
  assert.deepEqual(counts, { train: 8, heldOut: 4 });
  type Frame = { kind: string; boxes: number[][] };
  const train = (JSON.parse(await readFile(join(out, 'train', 'labels.json'), 'utf8')) as { frames: Frame[] }).frames;
  const val = (JSON.parse(await readFile(join(out, 'val', 'labels.json'), 'utf8')) as { frames: Frame[] }).frames;
  assert.deepEqual(train.map((f) => f.kind), ['random', 'random', 'held', 'held', 'random', 'random', 'held', 'held']);
  assert.ok(val.every((f) => f.kind === 'random'));
  const overlaps = (a: number[], b: number[]) => (a[1] ?? 0) < (b[3] ?? 0) && (b[1] ?? 0) < (a[3] ?? 0) && (a[2] ?? 0) < (b[4] ?? 0) && (b[2] ?? 0) < (a[4] ?? 0);
  for (const f of train.filter((t) => t.kind === 'held')) {
    const hands = f.boxes.filter((b) => b[0] === 1);
    assert.ok(f.boxes.some((p) => p[0] === 2 && hands.some((h) => overlaps(h, p))), 'a hand lies on a product in every held frame');
  }
});

test('heldFrameIndexes picks only frames where isHandOnProduct holds, the same ones every time', () => {
  const scene = new SyntheticScene({ scene: 'checkout', seed: 3, ...DATASET_SIZE, fps: 10 });
  const picked = heldFrameIndexes(scene, 3, 'checkout', 4);
  assert.equal(picked.length, 4);
  assert.deepEqual(heldFrameIndexes(scene, 3, 'checkout', 4), picked);
  for (const index of picked) assert.ok(isHandOnProduct(scene.render(index).truth.boxes));
});

test('publishing a model writes a manifest whose SHA-256 is the copied file’s, and refuses a file over 8 MB', async () => {
  const model = fileURLToPath(new URL('../../models/retail-detector/retail-detector.onnx', import.meta.url));
  const { path, manifest } = await publishModel(model, join(dir, 'published'));
  assert.equal(manifest.sha256, await sha256OfFile(path));
  assert.equal(manifest.decoder.type, 'yolov8');
  const big = join(dir, 'big.onnx');
  await writeFile(big, Buffer.alloc(8 * 1024 * 1024 + 1));
  await assert.rejects(publishModel(big, join(dir, 'nope')), { code: 'model_invalid' });
});
