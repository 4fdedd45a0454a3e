import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { AppError } from '../../contracts/index.js';

// Keys are minted by the hub (`items/ten_…/evd_….mp4`, `items/ten_…-staging/evd_….mp4`), never taken from a request. This check is the
// second line: a key that could climb out of the store's root or name something odd is refused outright.
// The second segment is the scope: a tenant id, with `-<environment>` outside production.
const KEY_SHAPE = /^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_.-]*)*$/;

export function assertObjectKey(key: string): string {
  if (!KEY_SHAPE.test(key) || key.includes('..') || key.length > 512) {
    throw new AppError('bad_request', `invalid evidence object key ${JSON.stringify(key.slice(0, 80))}`);
  }
  return key;
}

/** Passes bytes through while hashing and counting them. */
export class HashingCounter extends Transform {
  readonly hash: Hash = createHash('sha256');
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}
