import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { z } from 'zod';
import { NANODET_DIR, NANODET_MODEL, nanodetSkip } from '../inference/testing/shared-model.js';

const VIGIL = fileURLToPath(new URL('../../bin/vigil.mjs', import.meta.url));

function vigil(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [VIGIL, ...args], { timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

const reportSchema = z.record(
  z.string(),
  z.strictObject({
    width: z.number().int(),
    height: z.number().int(),
    detections: z.array(z.strictObject({ label: z.string(), score: z.number().min(0).max(1), box: z.tuple([z.number(), z.number(), z.number(), z.number()]) })),
  }),
);

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-detect-cli-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('vigil detect --json prints one object keyed by image file name, boxes in image pixels', { skip: nanodetSkip }, async () => {
  const { code, stdout, stderr } = await vigil([
    'detect', '--model', NANODET_MODEL, '--decoder', 'nanodet', '--classes', `${NANODET_DIR}coco.names`,
    `${NANODET_DIR}bus.jpg`, `${NANODET_DIR}person.jpg`, '--json',
  ]);
  assert.equal(code, 0, stderr);
  const report = reportSchema.parse(JSON.parse(stdout));
  assert.deepEqual(Object.keys(report).sort(), ['bus.jpg', 'person.jpg']);
  assert.deepEqual([report['bus.jpg']?.width, report['bus.jpg']?.height], [810, 1080]);
  assert.deepEqual([report['person.jpg']?.width, report['person.jpg']?.height], [640, 424]);
  assert.ok(report['bus.jpg']?.detections.some((d) => d.label === 'bus' && d.box[2] > 700 && d.box[3] > 600));
  assert.deepEqual(new Set(report['person.jpg']?.detections.map((d) => d.label)), new Set(['person', 'dog', 'horse']));
});

test('vigil detect on a file that is not ONNX exits 1 with the model_invalid code, no stack trace', async () => {
  const fake = join(dir, 'fake.onnx');
  await writeFile(fake, 'not a model');
  const { code, stdout, stderr } = await vigil(['detect', '--model', fake, '--decoder', 'nanodet', fake, '--json']);
  assert.equal(code, 1);
  assert.equal(stdout, '');
  assert.match(stderr, /^vigil: model_invalid: .*fake\.onnx is not a loadable ONNX model/);
  assert.doesNotMatch(stderr, /\n\s+at /);
});

test('vigil detect with the yolov8 decoder on the NanoDet model exits 1 with model_mismatch', { skip: nanodetSkip }, async () => {
  const { code, stderr } = await vigil(['detect', '--model', NANODET_MODEL, '--decoder', 'yolov8', `${NANODET_DIR}bus.jpg`, '--json']);
  assert.equal(code, 1);
  assert.match(stderr, /^vigil: model_mismatch: yolov8 decoder/);
});

test('vigil detect on an image ffmpeg cannot read exits 1 with unprocessable', { skip: nanodetSkip }, async () => {
  const broken = join(dir, 'broken.jpg');
  await writeFile(broken, 'JFIF? no.');
  const { code, stderr } = await vigil(['detect', '--model', NANODET_MODEL, '--decoder', 'nanodet', broken, '--json']);
  assert.equal(code, 1);
  assert.match(stderr, /^vigil: unprocessable: .*broken\.jpg is not a readable image/);
});
