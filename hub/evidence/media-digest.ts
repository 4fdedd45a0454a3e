import { createHash, type Hash } from 'node:crypto';
import { Readable, Transform, pipeline } from 'node:stream';

/**
 * SHA-256 of an upload computed while its chunks stream to the store, so completing it needs no second pass
 * over the bytes. The state lives in this process only: a chunk that lands on another hub process, or a
 * resumed upload whose state was dropped, completes with the store hashing the staged object instead.
 */
interface DigestState {
  offset: number;
  hash: Hash;
}

const MAX_OPEN = 10_000;
const states = new Map<string, DigestState>();

function remember(uploadId: string, state: DigestState): void {
  states.delete(uploadId);
  states.set(uploadId, state);
  while (states.size > MAX_OPEN) {
    const oldest = states.keys().next().value;
    if (oldest === undefined) break;
    states.delete(oldest);
  }
}

export interface HashedChunk {
  /** The chunk's bytes, hashed on their way through. */
  body: Transform;
  /** After the append: keeps the state when the store now holds exactly `expected` bytes, else drops it. */
  settle(stagedBytes: number, expected: number): void;
}

/** Wraps one chunk at `offset`: continues the upload's hash when this process saw every byte before it. */
export function hashChunk(uploadId: string, offset: number, body: AsyncIterable<Uint8Array>): HashedChunk {
  const known = states.get(uploadId);
  states.delete(uploadId);
  const hash = offset === 0 ? createHash('sha256') : known?.offset === offset ? known.hash : null;
  const transform = new Transform({
    highWaterMark: 1 << 20,
    transform(chunk: Buffer, _encoding, done) {
      hash?.update(chunk);
      done(null, chunk);
    },
  });
  // pipeline, not pipe: a request that ends early (dropped connection) fails the chunk instead of hanging it.
  pipeline(body instanceof Readable ? body : Readable.from(body), transform, () => undefined);
  return {
    body: transform,
    settle(stagedBytes, expected) {
      if (hash && stagedBytes === expected) remember(uploadId, { offset: stagedBytes, hash });
    },
  };
}

/** The upload's SHA-256 and size when this process hashed all `bytes` of it; forgets the state either way. */
export function takeDigest(uploadId: string, bytes: number): { sha256: string; bytes: number } | null {
  const state = states.get(uploadId);
  states.delete(uploadId);
  return state?.offset === bytes ? { sha256: state.hash.digest('hex'), bytes } : null;
}

/** Forgets an upload's state (refused, aborted). */
export const dropDigest = (uploadId: string): boolean => states.delete(uploadId);
