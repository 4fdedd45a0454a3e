import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sha256OfFile } from '../inference/model-digest.js';
import { DATASET_SIZE, writeDataset } from './dataset-writer.js';
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

test('publishing a model writes a manifest whose SHA-256 is the copied file’s, and refuses a file over 8 MB', async () => {
  const model = fileURLToPath(new URL('../../models/retail-detector/retail-detector.onnx', import.meta.url));
  const { path, manifest } = await publishModel(model, join(dir, 'published'));
  assert.equal(manifest.sha256, await sha256OfFile(path));
  assert.equal(manifest.decoder.type, 'yolov8');
  const big = join(dir, 'big.onnx');
  await writeFile(big, Buffer.alloc(8 * 1024 * 1024 + 1));
  await assert.rejects(publishModel(big, join(dir, 'nope')), { code: 'model_invalid' });
});
