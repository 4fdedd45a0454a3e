import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { AppError } from '../../contracts/index.js';

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch (error) {
    throw new AppError('model_invalid', `cannot read model ${path}`, { cause: error });
  }
  return hash.digest('hex');
}

/** Refuses a model file whose bytes are not the ones its manifest names (a truncated copy, a swapped file). */
export async function verifyModelDigest(path: string, expected: string | undefined): Promise<void> {
  if (expected === undefined) return;
  const actual = await sha256OfFile(path);
  if (actual !== expected.toLowerCase()) {
    throw new AppError('model_invalid', `model ${path} has SHA-256 ${actual}, its manifest expects ${expected}: a damaged or different file`);
  }
}
