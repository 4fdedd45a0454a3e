import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeLetterbox, preprocess, unletterboxBox } from './preprocess.js';

test('letterbox keeps the aspect ratio, centres the image and maps boxes back', () => {
  const lb = computeLetterbox(200, 100, 64, 64);
  assert.deepEqual(lb, { scale: 0.32, padX: 0, padY: 16, sourceWidth: 200, sourceHeight: 100 });
  assert.deepEqual(unletterboxBox(lb, 16, 24, 48, 40), [50, 25, 150, 75]);
  assert.deepEqual(unletterboxBox(lb, -5, 0, 70, 64), [0, 0, 200, 100], 'clipped to the source image');
});

test('preprocess writes planar CHW in the model’s channel order, normalised, with padding', () => {
  // A 4x2 rgb image of one colour (r=10, g=20, b=30) into an 8x8 BGR input: rows 0-1 and 6-7 are padding.
  const data = new Uint8Array(4 * 2 * 3);
  for (let i = 0; i < data.length; i += 3) data.set([10, 20, 30], i);
  const spec = { width: 8, height: 8, channelOrder: 'bgr' as const, mean: [1, 2, 3] as const, std: [2, 2, 2] as const, padValue: 5 };
  const { tensor, letterbox } = preprocess({ width: 4, height: 2, format: 'rgb24', data }, spec);
  assert.equal(letterbox.padY, 2);
  const at = (c: number, y: number, x: number): number | undefined => tensor[c * 64 + y * 8 + x];
  assert.equal(at(0, 4, 3), (30 - 1) / 2, 'channel 0 is blue');
  assert.equal(at(1, 4, 3), (20 - 2) / 2);
  assert.equal(at(2, 4, 3), (10 - 3) / 2, 'channel 2 is red');
  assert.equal(at(0, 0, 0), (5 - 1) / 2, 'padding value normalised like a pixel');
  assert.equal(at(2, 7, 7), (5 - 3) / 2);
});

test('preprocess interpolates bilinearly and reuses the output buffer it is given', () => {
  // Gray 2x1: 0 and 200; upscaled to 4 wide the inner samples lie between them.
  const spec = { width: 4, height: 2, channelOrder: 'rgb' as const, mean: [0, 0, 0] as const, std: [1, 1, 1] as const, padValue: 0 };
  const out = new Float32Array(3 * 8);
  const { tensor } = preprocess({ width: 2, height: 1, format: 'gray', data: new Uint8Array([0, 200]) }, spec, out);
  assert.equal(tensor, out);
  assert.deepEqual([...tensor.subarray(0, 4)], [0, 50, 150, 200]);
  assert.deepEqual([...tensor.subarray(8, 12)], [0, 50, 150, 200], 'gray feeds all three channels');
});
