import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { invariant } from '../../../contracts/index.js';

/** S3's minimum part size (except the last part). Memory use is bounded by one part. */
const PART_BYTES = 8 * 1024 * 1024;

/** Streams a body of unknown length into one object with a multipart upload, one part buffered at a time. */
export class MultipartWriter {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly key: string,
    private readonly contentType: string | undefined,
  ) {}

  async write(body: AsyncIterable<Uint8Array>): Promise<void> {
    const created = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, ContentType: this.contentType }));
    const uploadId = created.UploadId;
    invariant(uploadId, 'S3 returned no UploadId');
    const parts: Array<{ ETag: string; PartNumber: number }> = [];
    try {
      let pending: Buffer[] = [];
      let size = 0;
      const flush = async () => {
        const PartNumber = parts.length + 1;
        const result = await this.client.send(new UploadPartCommand({ Bucket: this.bucket, Key: this.key, UploadId: uploadId, PartNumber, Body: Buffer.concat(pending, size) }));
        parts.push({ ETag: result.ETag ?? '', PartNumber });
        pending = [];
        size = 0;
      };
      for await (const chunk of body) {
        pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        size += chunk.byteLength;
        if (size >= PART_BYTES) await flush();
      }
      if (size > 0 || parts.length === 0) await flush();
      await this.client.send(new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, UploadId: uploadId, MultipartUpload: { Parts: parts } }));
    } catch (error) {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, UploadId: uploadId })).catch(() => undefined);
      throw error;
    }
  }
}
