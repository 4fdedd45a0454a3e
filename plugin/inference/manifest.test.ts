import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { decodeImageFile } from './image-file.js';
import { InferenceEngine } from './inference-engine.js';
import { loadManifest } from './manifest.js';
import { resolveModelConfig } from './model-config.js';
import { NANODET_DIR, NANODET_MODEL, nanodetSkip } from './testing/shared-model.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-manifest-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const nanodetYaml = (extra: string): string => `
name: nanodet-m-coco
input:
  name: input.1
  width: 416
  height: 416
  channelOrder: bgr
  normalisation: { mean: [103.53, 116.28, 123.675], std: [57.375, 57.12, 58.395] }
  padValue: 0
classes: { file: ${join(NANODET_DIR, 'coco.names')} }
scoreThreshold: 0.4
nmsIou: 0.5
decoder:
  type: nanodet
  strides: [8, 16, 32]
  outputs: { cls: ['792', '814', '836'], reg: ['795', '817', '839'] }
${extra}`;

test('a YAML manifest with a names file and a per-class threshold drives the detector', { skip: nanodetSkip }, async () => {
  const path = join(dir, 'nanodet.yaml');
  await writeFile(path, nanodetYaml('classThresholds: { dog: 0.95 }'));
  const { manifest, classes } = await loadManifest(path);
  assert.equal(classes.length, 80);
  const engine = await InferenceEngine.open(NANODET_MODEL, manifest, classes);
  try {
    assert.equal(engine.manifest.name, 'nanodet-m-coco');
    const { detections } = await engine.infer(await decodeImageFile(`${NANODET_DIR}person.jpg`));
    const labels = detections.map((d) => d.label);
    assert.ok(labels.includes('person') && labels.includes('horse'), labels.join(','));
    assert.ok(!labels.includes('dog'), 'the dog (about 0.73) is below its own 0.95 threshold');
  } finally {
    await engine.close();
  }
});

test('output names in the manifest override the shape lookup, and wrong ones are a model_mismatch', { skip: nanodetSkip }, async () => {
  const path = join(dir, 'swapped.yaml');
  await writeFile(path, nanodetYaml('').replace("cls: ['792', '814', '836'], reg: ['795', '817', '839']", "cls: ['795', '814', '836'], reg: ['792', '817', '839']"));
  const { manifest, classes } = await loadManifest(path);
  await assert.rejects(InferenceEngine.open(NANODET_MODEL, manifest, classes), { code: 'model_mismatch', message: /no class output \[1,2704,80\] for stride 8/ });
});

test('command-line overrides: --threshold replaces the default score, --classes the labels', async () => {
  const names = join(dir, 'two.names');
  await writeFile(names, 'shopper\n\ncart\n');
  const { manifest, classes } = await resolveModelConfig({ decoder: 'yolov8', classesPath: names, threshold: 0.6 });
  assert.deepEqual(classes, ['shopper', 'cart']);
  assert.equal(manifest.scoreThreshold, 0.6);
  await assert.rejects(resolveModelConfig({ decoder: 'nanodet', threshold: 1.5 }), { code: 'config_invalid' });
});
