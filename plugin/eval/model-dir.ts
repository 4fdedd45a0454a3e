import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The committed retail detector's folder: models/retail-detector at the package root, two folders up from the
 * sources (plugin/eval) and three from the build (dist/plugin/eval), which does not copy the model.
 */
export const RETAIL_MODEL_DIR = ['../../models/retail-detector/', '../../../models/retail-detector/']
  .map((relative) => fileURLToPath(new URL(relative, import.meta.url)))
  .find((dir) => existsSync(`${dir}manifest.json`)) ?? fileURLToPath(new URL('../../models/retail-detector/', import.meta.url));
