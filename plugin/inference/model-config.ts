import { AppError } from '../../contracts/index.js';
import type { Manifest } from './manifest.js';
import { loadManifest, MANIFEST_PRESETS, readClassNames } from './manifest.js';

export interface ModelConfigOptions {
  /** A built-in preset; ignored when `manifestPath` is given (its decoder wins). */
  readonly decoder?: keyof typeof MANIFEST_PRESETS;
  readonly manifestPath?: string;
  /** A names file (one label a line) replacing the manifest's or preset's classes. */
  readonly classesPath?: string;
  /** Replaces the manifest's default score threshold; per-class thresholds still apply. */
  readonly threshold?: number;
}

/** The manifest and class list for a model, from a manifest file or a preset, with command-line overrides. */
export async function resolveModelConfig(options: ModelConfigOptions): Promise<{ manifest: Manifest; classes: string[] }> {
  let manifest: Manifest;
  let classes: string[];
  if (options.manifestPath !== undefined) {
    ({ manifest, classes } = await loadManifest(options.manifestPath));
    if (options.decoder !== undefined && manifest.decoder.type !== options.decoder) {
      throw new AppError('config_invalid', `--decoder ${options.decoder} contradicts the manifest's decoder ${manifest.decoder.type}`, { status: 400 });
    }
  } else if (options.decoder !== undefined) {
    manifest = MANIFEST_PRESETS[options.decoder];
    classes = Array.isArray(manifest.classes) ? [...manifest.classes] : [];
  } else {
    throw new AppError('config_invalid', 'give a decoder preset or a manifest', { status: 400 });
  }
  if (options.classesPath !== undefined) classes = await readClassNames(options.classesPath);
  if (options.threshold !== undefined) {
    if (!(options.threshold >= 0 && options.threshold <= 1)) throw new AppError('config_invalid', `threshold ${options.threshold} is not within 0..1`, { status: 400 });
    manifest = { ...manifest, scoreThreshold: options.threshold };
  }
  // Thresholds for labels the chosen class list lacks would be rejected later; drop them when classes were replaced.
  if (options.classesPath !== undefined) {
    manifest = { ...manifest, classThresholds: Object.fromEntries(Object.entries(manifest.classThresholds).filter(([label]) => classes.includes(label))) };
  }
  return { manifest, classes };
}
