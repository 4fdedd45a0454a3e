import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Detection } from '../../contracts/index.js';
import { COCO_CLASSES } from './coco-classes.js';
import { decodeImageFile } from './image-file.js';
import { InferenceEngine } from './inference-engine.js';
import { MANIFEST_PRESETS } from './manifest.js';
import { NANODET_DIR, NANODET_MODEL, nanodetSkip } from './testing/shared-model.js';

type Box = readonly [number, number, number, number];

function iou(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const iy = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = ix * iy;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
}

/** Every reference object has a detection of its label overlapping it by IoU >= 0.5. */
function assertFound(detections: readonly Detection[], references: ReadonlyArray<{ label: string; box: Box }>): void {
  for (const ref of references) {
    const best = Math.max(0, ...detections.filter((d) => d.label === ref.label).map((d) => iou(d.box, ref.box)));
    assert.ok(best >= 0.5, `${ref.label} at [${ref.box.join(', ')}]: best IoU ${best.toFixed(2)} in ${JSON.stringify(detections)}`);
  }
}

let engine: InferenceEngine | undefined;
before(async () => {
  if (nanodetSkip === false) engine = await InferenceEngine.open(NANODET_MODEL, MANIFEST_PRESETS.nanodet, COCO_CLASSES);
});
after(async () => {
  await engine?.close();
});

// Reference boxes read off the images by eye (pixel coordinates of the originals), not from the model.
test('NanoDet-m finds the bus and the three walking people in bus.jpg where they are', { skip: nanodetSkip }, async () => {
  const image = await decodeImageFile(`${NANODET_DIR}bus.jpg`);
  const { detections } = await (engine as InferenceEngine).infer(image);
  assertFound(detections, [
    { label: 'bus', box: [15, 230, 805, 730] },
    { label: 'person', box: [50, 398, 245, 905] }, // beige coat
    { label: 'person', box: [222, 405, 345, 860] }, // black coat
    { label: 'person', box: [668, 395, 810, 880] }, // cut by the right edge
  ]);
  assert.ok(detections.every((d) => d.box[0] >= 0 && d.box[2] <= 810 && d.box[1] >= 0 && d.box[3] <= 1080));
});

test('NanoDet-m finds the person and the dog in person.jpg where they are', { skip: nanodetSkip }, async () => {
  const image = await decodeImageFile(`${NANODET_DIR}person.jpg`);
  const { detections } = await (engine as InferenceEngine).infer(image);
  assertFound(detections, [
    { label: 'person', box: [190, 97, 275, 375] },
    { label: 'dog', box: [65, 263, 205, 343] },
  ]);
  // The dog must not be reported where the horse stands.
  assert.ok(detections.filter((d) => d.label === 'dog').every((d) => iou(d.box, [405, 138, 602, 345]) < 0.3));
});

test('a BGR frame gives the same detections as the RGB frame it was swapped from', { skip: nanodetSkip }, async () => {
  const rgb = await decodeImageFile(`${NANODET_DIR}person.jpg`);
  const bgr = new Uint8Array(rgb.data.length);
  for (let i = 0; i < bgr.length; i += 3) {
    bgr[i] = rgb.data[i + 2] ?? 0;
    bgr[i + 1] = rgb.data[i + 1] ?? 0;
    bgr[i + 2] = rgb.data[i] ?? 0;
  }
  const a = await (engine as InferenceEngine).infer(rgb);
  const b = await (engine as InferenceEngine).infer({ ...rgb, format: 'bgr24', data: bgr });
  assert.deepEqual(b.detections, a.detections);
});
