import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isAppError } from '../../contracts/index.js';
import { OnnxDetector } from './onnx-detector.js';
import { NANODET_MODEL, nanodetSkip } from './testing/shared-model.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-model-errors-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function expectCode(code: string, pattern: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(isAppError(error), `expected an AppError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  };
}

test('a file that is not ONNX is refused with model_invalid and the process carries on', async () => {
  const path = join(dir, 'not-a-model.onnx');
  await writeFile(path, 'this is a text file, not a protobuf\n');
  await assert.rejects(OnnxDetector.create({ modelPath: path, decoder: 'nanodet', poolSize: 1 }), expectCode('model_invalid', /not a loadable ONNX model/));
  await assert.rejects(OnnxDetector.create({ modelPath: join(dir, 'missing.onnx'), decoder: 'nanodet', poolSize: 1 }), expectCode('model_invalid', /missing\.onnx/));
});

test('the yolov8 decoder on the NanoDet model is refused with model_mismatch naming the shapes', { skip: nanodetSkip }, async () => {
  await assert.rejects(
    OnnxDetector.create({ modelPath: NANODET_MODEL, decoder: 'yolov8', poolSize: 2 }),
    expectCode('model_mismatch', /expected \[1,84,N\].*792\[1,2704,80\]/),
  );
});

test('a manifest with the wrong class count for NanoDet is refused with model_mismatch', { skip: nanodetSkip }, async () => {
  const manifest = join(dir, 'nanodet-20.yaml');
  await writeFile(manifest, [
    'input: { channelOrder: bgr, normalisation: { mean: [103.53, 116.28, 123.675], std: [57.375, 57.12, 58.395] } }',
    `classes: [${Array.from({ length: 20 }, (_, i) => `c${i}`).join(', ')}]`,
    'decoder: { type: nanodet }',
  ].join('\n'));
  await assert.rejects(OnnxDetector.create({ modelPath: NANODET_MODEL, manifestPath: manifest, poolSize: 1 }), expectCode('model_mismatch', /no class output \[1,2704,20\]/));
});

test('an invalid manifest is refused with config_invalid listing the problem', async () => {
  const manifest = join(dir, 'bad.json');
  await writeFile(manifest, JSON.stringify({ input: { channelOrder: 'xyz', normalisation: { scale: 2 } }, classes: [], decoder: { type: 'nanodet' } }));
  await assert.rejects(OnnxDetector.create({ modelPath: join(dir, 'x.onnx'), manifestPath: manifest }), expectCode('config_invalid', /channelOrder/));
});
