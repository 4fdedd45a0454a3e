import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isAppError } from '../../contracts/index.js';
import { InferenceEngine } from './inference-engine.js';
import { parseManifest } from './manifest.js';
import { constantHeadModel } from './testing/onnx-writer.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-yolo-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Channel-first table [1, C, N] from per-anchor columns, as Ultralytics lays it out. */
function table(columns: number[][]): { dims: number[]; table: Float32Array } {
  const channels = columns[0]?.length ?? 0;
  const anchors = columns.length;
  const data = new Float32Array(channels * anchors);
  columns.forEach((col, i) => col.forEach((v, ch) => (data[ch * anchors + i] = v)));
  return { dims: [1, channels, anchors], table: data };
}

async function writeModel(name: string, head: { dims: number[]; table: Float32Array }): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, constantHeadModel({ name: 'images', width: 64, height: 64 }, { name: 'output0', ...head }));
  return path;
}

// A 128x64 frame letterboxed into 64x64: scale 0.5, 16 px of padding above and below.
const frame = { width: 128, height: 64, format: 'rgb24' as const, data: new Uint8Array(128 * 64 * 3).fill(90) };
const yoloInput = { channelOrder: 'rgb' as const, normalisation: { scale: 1 / 255 }, padValue: 114 };

test('yolov8 detect output [1,4+nc,N] from a real ORT graph decodes to boxes in source pixels with per-class NMS', async () => {
  const model = await writeModel('detect.onnx', table([
    [32, 32, 20, 10, 0.9, 0.1, 0.0], // class a at input (22,27)-(42,37)
    [33, 32, 20, 10, 0.8, 0.0, 0.0], // same object, lower score: suppressed
    [32, 32, 20, 10, 0.0, 0.7, 0.0], // same place, class b: kept (NMS is per class)
    [10, 30, 8, 8, 0.0, 0.0, 0.2], // class c below its 0.3 threshold
    [50, 40, 10, 10, 0.0, 0.0, 0.35], // class c above it
  ]));
  const manifest = parseManifest({ input: yoloInput, classes: ['a', 'b', 'c'], scoreThreshold: 0.25, classThresholds: { c: 0.3 }, nmsIou: 0.5, decoder: { type: 'yolov8' } });
  const engine = await InferenceEngine.open(model, manifest, ['a', 'b', 'c']);
  try {
    const { detections } = await engine.infer(frame);
    const summary = detections.map((d) => [d.label, d.score, d.box.map((v) => Math.round(v * 10) / 10)]);
    assert.deepEqual(summary, [
      ['a', 0.9, [44, 22, 84, 42]],
      ['b', 0.7, [44, 22, 84, 42]],
      ['c', 0.35, [90, 38, 110, 58]],
    ]);
  } finally {
    await engine.close();
  }
});

test('yolov8 pose output [1,5+3K,N] decodes keypoints (x, y, visibility) into source pixels', async () => {
  const model = await writeModel('pose.onnx', table([
    [32, 32, 20, 20, 0.95, 30, 30, 0.9, 40, 35, 0.2],
    [32, 32, 20, 20, 0.1, 0, 0, 0, 0, 0, 0],
  ]));
  const manifest = parseManifest({ input: yoloInput, classes: ['person'], decoder: { type: 'yolov8', task: 'pose', keypoints: 2 } });
  const engine = await InferenceEngine.open(model, manifest, ['person']);
  try {
    const { detections } = await engine.infer(frame);
    assert.equal(detections.length, 1);
    const [person] = detections;
    assert.deepEqual(person?.box, [44, 12, 84, 52]);
    assert.deepEqual(person?.keypoints?.map(([x, y, v]) => [x, y, Math.round(v * 100) / 100]), [[60, 28, 0.9], [80, 38, 0.2]]);
  } finally {
    await engine.close();
  }
});

test('a yolov8 manifest whose class count does not fit the output is refused with model_mismatch', async () => {
  const model = await writeModel('two-classes.onnx', table([[32, 32, 20, 10, 0.9, 0.1]]));
  const manifest = parseManifest({ input: yoloInput, classes: ['a', 'b', 'c'], decoder: { type: 'yolov8' } });
  await assert.rejects(InferenceEngine.open(model, manifest, ['a', 'b', 'c']), (error) => {
    assert.ok(isAppError(error));
    assert.equal(error.code, 'model_mismatch');
    assert.match(error.message, /expected \[1,7,N\].*output0\[1,6,1\]/);
    return true;
  });
});

test('the nanodet decoder on a yolov8-shaped model is refused with model_mismatch', async () => {
  const model = await writeModel('yolo-for-nanodet.onnx', table([[32, 32, 20, 10, 0.9]]));
  const manifest = parseManifest({ input: yoloInput, classes: ['a'], decoder: { type: 'nanodet' } });
  await assert.rejects(InferenceEngine.open(model, manifest, ['a']), { code: 'model_mismatch' });
});
