import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, type EvidenceObject, type EvidenceStore, type LegalHoldResult } from '../../../contracts/index.js';
import { assertObjectKey, HashingCounter } from '../object-key.js';

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Evidence on the local filesystem (the embedded default, `VIGIL_DATA_DIR/evidence`): stored objects under
 * `objects/`, resumable uploads under `staging/`, legal-hold markers under `holds/`. Objects are written to a
 * temporary name and renamed, so a reader never sees half an object.
 */
export class FsEvidenceStore implements EvidenceStore {
  readonly backend = 'filesystem';
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private path(area: 'objects' | 'staging' | 'holds', key: string): string {
    return join(this.root, area, assertObjectKey(key));
  }

  async put(key: string, body: AsyncIterable<Uint8Array>): Promise<EvidenceObject> {
    const target = this.path('objects', key);
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.tmp-${randomBytes(6).toString('hex')}`;
    const counter = new HashingCounter();
    try {
      await pipeline(Readable.from(body), counter, createWriteStream(temp));
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return { key, bytes: counter.bytes, sha256: counter.digest() };
  }

  async get(key: string, range?: { start: number; end: number }): Promise<AsyncIterable<Uint8Array>> {
    const path = this.path('objects', key);
    // Open first so a missing object fails here, not halfway through a response.
    const handle = await open(path, 'r').catch((error: unknown) => {
      throw isMissing(error) ? new AppError('not_found', 'evidence object not found') : error;
    });
    return createReadStream('', { fd: handle, highWaterMark: 1 << 20, ...(range ? { start: range.start, end: range.end } : {}), autoClose: true });
  }

  async stat(key: string): Promise<{ bytes: number } | null> {
    try {
      return { bytes: (await stat(this.path('objects', key))).size };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    if (await this.isHeld(key)) throw new AppError('legal_hold', 'evidence object is under legal hold');
    await rm(this.path('objects', key), { force: true });
  }

  async append(key: string, offset: number, body: AsyncIterable<Uint8Array>): Promise<number> {
    const path = this.path('staging', key);
    await mkdir(dirname(path), { recursive: true });
    const current = await this.stagedBytes(key);
    if (current < offset) throw new AppError('offset_mismatch', `staged object holds ${current} bytes, not ${offset}`, { details: { offset: current } });
    if (current > offset) await truncate(path, offset);
    // A request stream is piped as is (no Readable.from wrapper): this is the upload hot path.
    const source = body instanceof Readable ? body : Readable.from(body);
    await pipeline(source, createWriteStream(path, { flags: current === 0 ? 'w' : 'r+', start: offset, highWaterMark: 1 << 20 }));
    return this.stagedBytes(key);
  }

  async stagedBytes(key: string): Promise<number> {
    try {
      return (await stat(this.path('staging', key))).size;
    } catch (error) {
      if (isMissing(error)) return 0;
      throw error;
    }
  }

  async commitStaged(from: string, to: string, options: { hashed?: { sha256: string; bytes: number } } = {}): Promise<EvidenceObject> {
    const source = this.path('staging', from);
    const target = this.path('objects', to);
    const { hashed } = options;
    if (hashed && (await stat(source)).size === hashed.bytes) {
      await mkdir(dirname(target), { recursive: true });
      await rename(source, target);
      return { key: to, bytes: hashed.bytes, sha256: hashed.sha256 };
    }
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of createReadStream(source, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
    }
    await mkdir(dirname(target), { recursive: true });
    await rename(source, target);
    return { key: to, bytes, sha256: hash.digest('hex') };
  }

  async discardStaged(key: string): Promise<void> {
    await rm(this.path('staging', key), { force: true });
  }

  localPath(key: string): string {
    return this.path('objects', key);
  }

  async setLegalHold(key: string, held: boolean): Promise<LegalHoldResult> {
    const marker = this.path('holds', key);
    if (held) {
      await mkdir(dirname(marker), { recursive: true });
      await writeFile(marker, new Date().toISOString());
    } else {
      await rm(marker, { force: true });
    }
    return 'applied';
  }

  private async isHeld(key: string): Promise<boolean> {
    return (await stat(this.path('holds', key)).catch(() => null)) !== null;
  }
}
