import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Detector, Frame } from '../../contracts/index.js';
import { OnnxDetector } from './onnx-detector.js';
import { constantHeadModel } from './testing/onnx-writer.js';

let dir: string;
let modelPath: string;
let manifestPath: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-detector-'));
  modelPath = join(dir, 'shelf.onnx');
  // One anchor: a "product" at input (8,8)-(24,40) of a 32x64 input, score 0.8.
  await writeFile(modelPath, constantHeadModel({ name: 'images', width: 32, height: 64 }, { name: 'output0', dims: [1, 6, 1], table: new Float32Array([16, 24, 16, 32, 0.1, 0.8]) }));
  manifestPath = join(dir, 'shelf.json');
  await writeFile(manifestPath, JSON.stringify({
    name: 'shelf-test',
    input: { channelOrder: 'rgb', normalisation: { scale: 1 / 255 }, padValue: 114 },
    classes: ['hand', 'product'],
    decoder: { type: 'yolov8' },
  }));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('OnnxDetector implements Detector over a worker pool: a Frame in, pixel boxes out', async () => {
  const detector: Detector = await OnnxDetector.create({ modelPath, manifestPath, poolSize: 1 });
  try {
    assert.equal(detector.modelName, 'shelf-test');
    // A gray 64x128 frame maps 1:1 onto twice the 32x64 input: no padding, scale 0.5.
    const frame: Frame = { cameraId: 'cam_test', width: 64, height: 128, format: 'gray', data: new Uint8Array(64 * 128), timestamp: Date.now(), sequence: 1 };
    const detections = await detector.detect(frame);
    assert.deepEqual(detections, [{ label: 'product', classId: 1, score: 0.8, box: [16, 16, 48, 80] }]);
    assert.equal(frame.data.byteLength, 0, 'detect() transferred the frame’s buffer to the worker');
  } finally {
    await detector.close();
  }
});

test('a closed detector refuses frames with unavailable', async () => {
  const detector = await OnnxDetector.create({ modelPath, manifestPath, poolSize: 1 });
  await detector.close();
  await assert.rejects(detector.detectFrame({ width: 2, height: 2, format: 'gray', data: new Uint8Array(4) }), { code: 'unavailable' });
});
