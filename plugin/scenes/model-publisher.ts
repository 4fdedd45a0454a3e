import { copyFile, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../contracts/index.js';
import { parseManifest, type Manifest } from '../inference/manifest.js';
import { sha256OfFile } from '../inference/model-digest.js';
import { TRUTH_CLASSES } from './truth.js';

const MAX_BYTES = 8 * 1024 * 1024;
export const RETAIL_DETECTOR_FILE = 'retail-detector.onnx';

/**
 * Publishes a trained retail detector: copies it into `outDir` and writes manifest.json beside it with the file's
 * SHA-256, which the plugin checks whenever it loads the model.
 */
export async function publishModel(trained: string, outDir: string): Promise<{ path: string; bytes: number; manifest: Manifest }> {
  const { size } = await stat(trained);
  if (size > MAX_BYTES) throw new AppError('model_invalid', `${trained} is ${size} bytes, over the 8 MB a committed model may weigh`);
  await mkdir(outDir, { recursive: true });
  const path = join(outDir, RETAIL_DETECTOR_FILE);
  await copyFile(trained, path);
  const manifest = parseManifest({
    name: 'vigil-retail-synthetic-v1',
    sha256: await sha256OfFile(path),
    // Trained on frames letterboxed into 320x256 with grey 114, RGB scaled to 0..1: the YOLOv8 conventions.
    input: { channelOrder: 'rgb', normalisation: { scale: 1 / 255 }, padValue: 114 },
    classes: [...TRUTH_CLASSES],
    scoreThreshold: 0.35,
    nmsIou: 0.5,
    // An aisle shows some seventy products on its shelves.
    maxDetections: 300,
    decoder: { type: 'yolov8', task: 'detect' },
  });
  await writeFile(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { path, bytes: size, manifest };
}
