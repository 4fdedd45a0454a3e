import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { z } from 'zod';
import type { auditS3Schema } from './audit-config.js';
import { parseCheckpoint, type Checkpoint } from './checkpoint.js';
import { chainFolder, SHARD_SUFFIX, assertTenantId, seqName, shardsIn, type CheckpointStore, type FoundCheckpoint } from './checkpoint-stores.js';

type S3Options = z.infer<typeof auditS3Schema>;

// Below Number.MAX_SAFE_INTEGER, far above any chain's length; keys stay 16 digits.
const MAX_SEQ = 999_999_999_999_999;

/**
 * Checkpoints in an S3 bucket. Each is written once under Object Lock (COMPLIANCE mode, `retainDays`),
 * so not even the bucket's owner can delete or overwrite it before then. Keys sort newest first
 * (`<prefix><tenant>[.shard-<k>]/<MAX - seq>-<seq>.json`), so the latest is the first key of one list call.
 */
export class S3CheckpointStore implements CheckpointStore {
  readonly name: string;
  private readonly client: S3Client;

  constructor(private readonly options: S3Options) {
    this.name = `s3://${options.bucket}/${options.prefix}`;
    this.client = new S3Client({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
      ...(options.accessKeyId && options.secretAccessKey ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } } : {}),
      // Object Lock puts need an integrity header; Content-MD5 is the one every S3-compatible server
      // (MinIO, s3rver, AWS) accepts, so the SDK's own checksum trailers stay off.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private folder(tenantId: string, shard = 0): string {
    return `${this.options.prefix}${chainFolder(tenantId, shard)}/`;
  }

  async put(checkpoint: Checkpoint): Promise<void> {
    const body = Buffer.from(`${JSON.stringify(checkpoint)}\n`);
    const key = `${this.folder(checkpoint.tenantId, checkpoint.shard ?? 0)}${seqName(MAX_SEQ - checkpoint.seq)}-${seqName(checkpoint.seq)}.json`;
    const retain = this.options.retainDays > 0 ? { ObjectLockMode: 'COMPLIANCE' as const, ObjectLockRetainUntilDate: new Date(Date.now() + this.options.retainDays * 86_400_000) } : {};
    await this.client.send(new PutObjectCommand({
      Bucket: this.options.bucket, Key: key, Body: body, ContentType: 'application/json',
      ContentMD5: createHash('md5').update(body).digest('base64'), ...retain,
    }));
  }

  async latest(tenantId: string, shard = 0): Promise<FoundCheckpoint | null> {
    // A small page rather than MaxKeys=1: s3rver (the tests' S3) fails to mint a continuation token on
    // node 20's OpenSSL 3 whenever a listing is truncated; S3 and MinIO return the same first key either way.
    const listed = await this.client.send(new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: this.folder(tenantId, shard), MaxKeys: 20 }));
    const key = listed.Contents?.[0]?.Key;
    return key ? this.read(key) : null;
  }

  private async read(key: string): Promise<FoundCheckpoint> {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
    const text = (await object.Body?.transformToString('utf8')) ?? '';
    return { location: `s3://${this.options.bucket}/${key}`, checkpoint: parseCheckpoint(text) };
  }

  async all(tenantId: string, shard = 0): Promise<FoundCheckpoint[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: this.folder(tenantId, shard), ContinuationToken: token }));
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    const found: FoundCheckpoint[] = [];
    for (const key of keys.reverse()) found.push(await this.read(key));
    return found;
  }

  async shards(tenantId: string): Promise<number[]> {
    const names: string[] = [];
    const prefix = `${this.options.prefix}${assertTenantId(tenantId)}${SHARD_SUFFIX}`;
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }));
      for (const p of page.CommonPrefixes ?? []) if (p.Prefix) names.push(p.Prefix.slice(this.options.prefix.length).replace(/\/$/, ''));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return shardsIn(tenantId, names);
  }

  async tenants(): Promise<string[]> {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: this.options.prefix, Delimiter: '/', ContinuationToken: token }));
      for (const p of page.CommonPrefixes ?? []) {
        const name = p.Prefix?.slice(this.options.prefix.length).replace(/\/$/, '');
        if (name && /^ten_[0-9a-z]{10,40}$/.test(name)) out.push(name);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out.sort();
  }
}
