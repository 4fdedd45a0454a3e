import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AppError } from '../../contracts/index.js';
import { COCO_CLASSES } from './coco-classes.js';

const channelTriple = z.tuple([z.number(), z.number(), z.number()]);

/** Either per-channel (x - mean) / std, or x * scale (YOLO exports: scale 1/255). Values are in the model's channel order. */
export const normalisationSchema = z.union([
  z.strictObject({
    mean: channelTriple.describe('per-channel mean, model channel order, 0..255 units'),
    std: channelTriple.refine((s) => s.every((v) => v > 0), 'std must be positive').describe('per-channel std'),
  }),
  z.strictObject({ scale: z.number().positive().max(1).describe('multiplier applied to 0..255 pixel values') }),
]);

export const manifestSchema = z.strictObject({
  name: z.string().min(1).max(100).optional().describe('model name reported by the detector'),
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'a SHA-256 is 64 hex digits').optional().describe('SHA-256 of the model file; when set, a model with other bytes is refused at load'),
  input: z.strictObject({
    name: z.string().min(1).optional().describe('input tensor name; default: the model’s only input'),
    width: z.number().int().min(16).max(4096).optional().describe('input width; default: from the model'),
    height: z.number().int().min(16).max(4096).optional().describe('input height; default: from the model'),
    channelOrder: z.enum(['rgb', 'bgr']).describe('channel order the model expects'),
    normalisation: normalisationSchema,
    padValue: z.number().int().min(0).max(255).default(0).describe('letterbox padding, 0..255 pixel value'),
  }),
  classes: z
    .union([z.array(z.string().min(1)).min(1).max(10_000), z.strictObject({ file: z.string().min(1) })])
    .describe('labels inline, or a names file (one a line) relative to the manifest'),
  scoreThreshold: z.number().min(0).max(1).default(0.35).describe('default minimum class score'),
  classThresholds: z.record(z.string(), z.number().min(0).max(1)).default({}).describe('per-label score thresholds'),
  nmsIou: z.number().gt(0).max(1).default(0.5).describe('IoU above which a lower-scored box of the same class is dropped'),
  maxDetections: z.number().int().min(1).max(1000).default(100),
  decoder: z.looseObject({ type: z.string().min(1) }).describe('output decoder; its own fields are validated by the decoder'),
});

export type ManifestInput = z.input<typeof manifestSchema>;
export type Manifest = z.output<typeof manifestSchema>;

/** A manifest with classes loaded and the input size fixed (from the manifest or the model). */
export interface ResolvedManifest {
  readonly name: string;
  readonly input: {
    readonly name: string;
    readonly width: number;
    readonly height: number;
    readonly channelOrder: 'rgb' | 'bgr';
    readonly mean: readonly [number, number, number];
    readonly std: readonly [number, number, number];
    readonly padValue: number;
  };
  readonly classes: readonly string[];
  /** Score threshold per class id (classThresholds merged over scoreThreshold). */
  readonly thresholds: readonly number[];
  readonly nmsIou: number;
  readonly maxDetections: number;
  readonly decoder: { readonly type: string } & Record<string, unknown>;
}

export function parseManifest(raw: unknown, source = 'manifest'): Manifest {
  const result = manifestSchema.safeParse(raw);
  if (!result.success) {
    throw new AppError('config_invalid', `${source}: ${z.prettifyError(result.error)}`, { status: 400 });
  }
  return result.data;
}

/** Reads a JSON or YAML manifest and loads its names file, if any, relative to the manifest. */
export async function loadManifest(path: string): Promise<{ manifest: Manifest; classes: string[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new AppError('config_invalid', `cannot read manifest ${path}`, { status: 400, cause: error });
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new AppError('config_invalid', `manifest ${path} is neither JSON nor YAML`, { status: 400, cause: error });
  }
  const manifest = parseManifest(raw, path);
  const classes = Array.isArray(manifest.classes)
    ? manifest.classes
    : await readClassNames(resolve(dirname(path), manifest.classes.file));
  return { manifest, classes };
}

export async function readClassNames(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new AppError('config_invalid', `cannot read class names file ${path}`, { status: 400, cause: error });
  }
  const names = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0);
  if (names.length === 0) throw new AppError('config_invalid', `class names file ${path} is empty`, { status: 400 });
  return names;
}

/** Fixes classes, thresholds and normalisation; the input size comes from the model when the manifest omits it. */
export function resolveManifest(
  manifest: Manifest,
  classes: readonly string[],
  model: { inputName: string; width: number | undefined; height: number | undefined; fallbackName: string },
): ResolvedManifest {
  const width = manifest.input.width ?? model.width;
  const height = manifest.input.height ?? model.height;
  if (width === undefined || height === undefined) {
    throw new AppError('model_mismatch', 'the model input has a dynamic size: set input.width and input.height in the manifest');
  }
  const norm = manifest.input.normalisation;
  const mean: [number, number, number] = 'scale' in norm ? [0, 0, 0] : norm.mean;
  const std: [number, number, number] = 'scale' in norm ? [1 / norm.scale, 1 / norm.scale, 1 / norm.scale] : norm.std;
  const unknown = Object.keys(manifest.classThresholds).filter((label) => !classes.includes(label));
  if (unknown.length > 0) throw new AppError('config_invalid', `classThresholds name unknown classes: ${unknown.join(', ')}`, { status: 400 });
  return {
    name: manifest.name ?? model.fallbackName,
    input: { name: model.inputName, width, height, channelOrder: manifest.input.channelOrder, mean, std, padValue: manifest.input.padValue },
    classes,
    thresholds: classes.map((label) => manifest.classThresholds[label] ?? manifest.scoreThreshold),
    nmsIou: manifest.nmsIou,
    maxDetections: manifest.maxDetections,
    decoder: manifest.decoder,
  };
}

/** Built-in manifests for the decoders' reference models, so `--decoder X` works without a manifest file. */
export const MANIFEST_PRESETS: Record<'nanodet' | 'yolov8', Manifest> = {
  // NanoDet-m COCO export (RangiLyu/nanodet via hpc203/nanodet-opncv-dnn-cpp-python): BGR, ImageNet mean/std in 0..255 units.
  nanodet: parseManifest({
    input: { channelOrder: 'bgr', normalisation: { mean: [103.53, 116.28, 123.675], std: [57.375, 57.12, 58.395] }, padValue: 0 },
    classes: [...COCO_CLASSES],
    scoreThreshold: 0.4,
    nmsIou: 0.5,
    decoder: { type: 'nanodet' },
  }),
  // Ultralytics YOLOv8/YOLO11 exports: RGB, 0..1, letterbox grey 114.
  yolov8: parseManifest({
    input: { channelOrder: 'rgb', normalisation: { scale: 1 / 255 }, padValue: 114 },
    classes: [...COCO_CLASSES],
    scoreThreshold: 0.25,
    nmsIou: 0.7,
    decoder: { type: 'yolov8', task: 'detect' },
  }),
};
