import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cropForRegions, cropPixels, uncropBox } from './region-crop.js';

const frame = { width: 1920, height: 1080 };
const model = { width: 416, height: 416 };

test('small motion gives a crop of at least the model input around it, inside the frame', () => {
  // A 96x108 px blob near the right edge.
  const rect = cropForRegions([{ box: [0.95, 0.4, 1, 0.5], area: 0.005 }], frame, model);
  assert.deepEqual(rect, { x: 1920 - 416, y: Math.round(0.45 * 1080 - 208), width: 416, height: 416 });
});

test('motion spread over the frame gives no crop: the whole frame is the input', () => {
  assert.equal(cropForRegions([{ box: [0.05, 0.1, 0.1, 0.2], area: 0.001 }, { box: [0.8, 0.7, 0.9, 0.9], area: 0.002 }], frame, model), undefined);
  assert.equal(cropForRegions([], frame, model), undefined);
});

test('cropPixels copies the rectangle and uncropBox maps boxes back', () => {
  const src = { width: 4, height: 3, format: 'gray' as const, data: Uint8Array.from({ length: 12 }, (_, i) => i) };
  const crop = cropPixels(src, { x: 1, y: 1, width: 2, height: 2 });
  assert.deepEqual([...crop.data], [5, 6, 9, 10]);
  assert.deepEqual(uncropBox([0, 0, 2, 2], { x: 1, y: 1, width: 2, height: 2 }), [1, 1, 3, 3]);
});
