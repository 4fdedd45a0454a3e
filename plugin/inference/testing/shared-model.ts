import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Test data shared by the team outside the repository (never committed): NanoDet-m and its sample images. */
export const NANODET_DIR = fileURLToPath(new URL('../../../../shared/models/nanodet-m/', import.meta.url));
export const NANODET_MODEL = `${NANODET_DIR}nanodet_m.onnx`;

/** `false` when the shared folder is present; otherwise the skip message for node:test. */
export const nanodetSkip: string | false = existsSync(NANODET_MODEL) ? false : 'shared/ absent: ../shared/models/nanodet-m not found';
