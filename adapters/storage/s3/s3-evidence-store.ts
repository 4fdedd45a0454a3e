import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectLegalHoldCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AppError, type EvidenceObject, type EvidenceStore, type LegalHoldResult } from '../../../contracts/index.js';
import { assertObjectKey, HashingCounter } from '../object-key.js';
import { MultipartWriter } from './multipart-writer.js';

export interface S3StoreOptions {
  bucket: string;
  endpoint?: string | undefined;
  region?: string | undefined;
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  /** Prefix inside the bucket, e.g. `vigil/`. */
  prefix?: string | undefined;
}

/**
 * The SDK pipes a stream body into its request without watching the stream's errors; a body that fails (a
 * dropped upload) would leave the request waiting. This aborts the request instead and reports the cause.
 */
function guarded(body: AsyncIterable<Uint8Array>, counter?: HashingCounter) {
  const controller = new AbortController();
  let failure: unknown = null;
  const source = Readable.from(body);
  const stream = counter ? source.pipe(counter) : source;
  source.on('error', (error) => {
    failure = error;
    controller.abort();
  });
  return {
    stream,
    signal: controller.signal,
    rethrow(error: unknown): never {
      throw failure ?? error;
    },
  };
}

const PART_NAME = /\/(\d{16})$/;
const errorName = (error: unknown): string => (error as { name?: string }).name ?? '';
const statusOf = (error: unknown): number | undefined => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const isMissing = (error: unknown): boolean => ['NoSuchKey', 'NotFound'].includes(errorName(error)) || statusOf(error) === 404;

/**
 * Evidence in S3-compatible object storage. S3 cannot append, so a resumable upload is staged as one object
 * per received chunk (`staging/<key>/<offset>`), and committing streams the parts, in order, into the final
 * object with one PutObject of known length (up to 5 GB: clips are far smaller). Legal hold uses S3 Object
 * Lock where the bucket has it enabled; elsewhere the hub's database is the only guard.
 */
export class S3EvidenceStore implements EvidenceStore {
  readonly backend = 's3';
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(options: S3StoreOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? '';
    this.client = new S3Client({
      region: options.region ?? 'us-east-1',
      ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
      ...(options.accessKeyId && options.secretAccessKey ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } } : {}),
      // SDK >= 3.729 adds CRC32 trailers (aws-chunked bodies) by default; MinIO before 2025 and s3rver
      // reject those, and we check SHA-256 ourselves.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private object(key: string): string {
    return `${this.prefix}objects/${assertObjectKey(key)}`;
  }

  private staging(key: string): string {
    return `${this.prefix}staging/${assertObjectKey(key)}/`;
  }

  async put(key: string, body: AsyncIterable<Uint8Array>, options: { contentType?: string; bytes?: number } = {}): Promise<EvidenceObject> {
    const counter = new HashingCounter();
    const source = guarded(body, counter);
    try {
      if (options.bytes !== undefined) {
        await this.client.send(new PutObjectCommand({
          Bucket: this.bucket, Key: this.object(key), Body: source.stream, ContentLength: options.bytes, ContentType: options.contentType,
        }), { abortSignal: source.signal });
      } else {
        await new MultipartWriter(this.client, this.bucket, this.object(key), options.contentType).write(source.stream);
      }
    } catch (error) {
      source.rethrow(error);
    }
    return { key, bytes: counter.bytes, sha256: counter.digest() };
  }

  async get(key: string, range?: { start: number; end: number }): Promise<AsyncIterable<Uint8Array>> {
    try {
      const result = await this.client.send(new GetObjectCommand({
        Bucket: this.bucket, Key: this.object(key), ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
      }));
      return result.Body as unknown as AsyncIterable<Uint8Array>;
    } catch (error) {
      if (isMissing(error)) throw new AppError('not_found', 'evidence object not found');
      throw error;
    }
  }

  async stat(key: string): Promise<{ bytes: number } | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.object(key) }));
      return { bytes: head.ContentLength ?? 0 };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    if (await this.isHeld(key)) throw new AppError('legal_hold', 'evidence object is under legal hold');
    const objectKey = this.object(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey }));
    // Object Lock needs a versioned bucket, where that delete only adds a delete marker and the bytes stay:
    // retention must remove every version. Unversioned buckets (and s3rver) have none left to remove.
    for (const versionId of await this.versionsOf(objectKey)) {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey, VersionId: versionId }));
    }
  }

  private async versionsOf(objectKey: string): Promise<string[]> {
    try {
      const listed = await this.client.send(new ListObjectVersionsCommand({ Bucket: this.bucket, Prefix: objectKey }));
      return [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])]
        .filter((v) => v.Key === objectKey && v.VersionId && v.VersionId !== 'null')
        .map((v) => v.VersionId as string);
    } catch (error) {
      if ([400, 405, 501].includes(statusOf(error) ?? 0) || ['NotImplemented', 'MethodNotAllowed'].includes(errorName(error))) return [];
      throw error;
    }
  }

  private async parts(key: string): Promise<Array<{ key: string; offset: number; bytes: number }>> {
    const parts: Array<{ key: string; offset: number; bytes: number }> = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.staging(key), ContinuationToken: token }));
      for (const item of page.Contents ?? []) {
        const match = PART_NAME.exec(item.Key ?? '');
        if (match?.[1] && item.Key) parts.push({ key: item.Key, offset: Number(match[1]), bytes: item.Size ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return parts.sort((a, b) => a.offset - b.offset);
  }

  async append(key: string, offset: number, body: AsyncIterable<Uint8Array>, options: { bytes?: number } = {}): Promise<number> {
    if (options.bytes === undefined) throw new AppError('bad_request', 'the S3 backend needs each chunk\'s length');
    let total = 0;
    for (const part of await this.parts(key)) {
      if (part.offset >= offset) await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: part.key }));
      else total = part.offset + part.bytes;
    }
    if (total !== offset) throw new AppError('offset_mismatch', `staged object holds ${total} bytes, not ${offset}`, { details: { offset: total } });
    // One part object per chunk: a dropped request leaves no part, so the offset stays where it was.
    const source = guarded(body);
    try {
      await this.client.send(new PutObjectCommand({
        Bucket: this.bucket, Key: `${this.staging(key)}${String(offset).padStart(16, '0')}`, Body: source.stream, ContentLength: options.bytes,
      }), { abortSignal: source.signal });
    } catch (error) {
      source.rethrow(error);
    }
    return offset + options.bytes;
  }

  async stagedBytes(key: string): Promise<number> {
    const parts = await this.parts(key);
    const last = parts.at(-1);
    return last ? last.offset + last.bytes : 0;
  }

  async commitStaged(from: string, to: string, options: { contentType?: string } = {}): Promise<EvidenceObject> {
    const parts = await this.parts(from);
    const bytes = parts.reduce((sum, part) => sum + part.bytes, 0);
    const client = this.client;
    const bucket = this.bucket;
    async function* concatenated(): AsyncGenerator<Uint8Array> {
      for (const part of parts) {
        const result = await client.send(new GetObjectCommand({ Bucket: bucket, Key: part.key }));
        yield* result.Body as unknown as AsyncIterable<Uint8Array>;
      }
    }
    const stored = await this.put(to, concatenated(), { bytes, ...(options.contentType ? { contentType: options.contentType } : {}) });
    await this.discardStaged(from);
    return stored;
  }

  async discardStaged(key: string): Promise<void> {
    for (const part of await this.parts(key)) await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: part.key }));
  }

  async setLegalHold(key: string, held: boolean): Promise<LegalHoldResult> {
    try {
      await this.client.send(new PutObjectLegalHoldCommand({ Bucket: this.bucket, Key: this.object(key), LegalHold: { Status: held ? 'ON' : 'OFF' } }));
      return 'applied';
    } catch (error) {
      // Buckets created without Object Lock answer InvalidRequest; s3rver answers NotImplemented/405.
      if (['InvalidRequest', 'NotImplemented', 'MethodNotAllowed', 'ObjectLockConfigurationNotFoundError'].includes(errorName(error)) || [400, 405, 501].includes(statusOf(error) ?? 0)) {
        return 'unsupported';
      }
      throw error;
    }
  }

  private async isHeld(key: string): Promise<boolean> {
    try {
      const result = await this.client.send(new GetObjectLegalHoldCommand({ Bucket: this.bucket, Key: this.object(key) }));
      return result.LegalHold?.Status === 'ON';
    } catch {
      // No Object Lock on this bucket (or object): nothing at the storage level holds it; the hub's database still does.
      return false;
    }
  }
}
