import { createHash } from 'node:crypto';
import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { EvidenceUpload } from '../../contracts/index.js';
import type { HubClient } from '../hub-client/index.js';
import { hubError, hubFailureOf, isAuthFailure } from '../hub-client/index.js';
import { writeFileAtomic } from './atomic-file.js';
import type { EvidenceJob } from './evidence-job.js';
import { evidenceJobSchema } from './evidence-job.js';
import type { BatchSender, OutboundRecord, SendOutcome } from './sender.js';

type UploadClient = Pick<HubClient, 'openEvidenceUpload' | 'getEvidenceUpload' | 'patchEvidenceChunk'>;

const stateSchema = z.strictObject({ uploadId: z.string() });

/**
 * Sends evidence upload jobs with the hub's resumable upload (open, then PATCH chunks at Upload-Offset).
 * The upload id is kept in a small state file per job, so a restart resumes at the hub's offset instead
 * of opening a second upload of the same file.
 */
export class EvidenceUploadSender implements BatchSender {
  readonly maxBatch = 1;
  private readonly client: UploadClient;
  private readonly stateDir: string;
  private readonly chunkBytes: number;

  constructor(client: UploadClient, options: { stateDir: string; chunkBytes?: number }) {
    this.client = client;
    this.stateDir = options.stateDir;
    this.chunkBytes = options.chunkBytes ?? 4 * 1024 * 1024;
  }

  async send(records: readonly OutboundRecord[], signal: AbortSignal): Promise<SendOutcome> {
    const parsed = evidenceJobSchema.safeParse(records[0]?.payload);
    if (!parsed.success) return rejected(`stored record is not a valid evidence job: ${z.prettifyError(parsed.error)}`);
    const job = parsed.data;
    const size = await fileSize(job.filePath);
    if (size === undefined) return rejected(`evidence file ${job.filePath} is gone`);
    if (size !== job.upload.bytes) return rejected(`evidence file ${job.filePath} has ${size} bytes, the job declared ${job.upload.bytes}`);
    const statePath = join(this.stateDir, `${createHash('sha256').update(JSON.stringify(job.upload)).digest('hex').slice(0, 32)}.json`);
    try {
      const upload = await this.currentUpload(job, statePath, signal);
      if (upload.state === 'refused') return await this.finish(statePath, rejected(`hub refused the upload: ${upload.refusal ?? 'no reason given'}`));
      if (upload.state === 'open') await this.sendChunks(job, upload, signal);
      return await this.finish(statePath, { type: 'done', items: [{ status: 'delivered' }] });
    } catch (error) {
      return this.failure(error, statePath);
    }
  }

  /** The upload to continue: the remembered one if the hub still knows it, else a new one (remembered before any byte is sent). */
  private async currentUpload(job: EvidenceJob, statePath: string, signal: AbortSignal): Promise<EvidenceUpload> {
    const remembered = await readState(statePath);
    if (remembered) {
      try {
        return await this.client.getEvidenceUpload(remembered, { signal });
      } catch (error) {
        if (hubFailureOf(error)?.status !== 404) throw error;
      }
    }
    const upload = await this.client.openEvidenceUpload(job.upload, { signal });
    await mkdir(this.stateDir, { recursive: true });
    await writeFileAtomic(statePath, JSON.stringify({ uploadId: upload.id }));
    return upload;
  }

  private async sendChunks(job: EvidenceJob, upload: EvidenceUpload, signal: AbortSignal): Promise<void> {
    const handle = await open(job.filePath, 'r');
    try {
      let offset = upload.offset;
      while (offset < job.upload.bytes) {
        const length = Math.min(this.chunkBytes, job.upload.bytes - offset);
        const chunk = Buffer.allocUnsafe(length);
        const { bytesRead } = await handle.read(chunk, 0, length, offset);
        const answer = await this.client.patchEvidenceChunk(upload.id, offset, chunk.subarray(0, bytesRead), { signal });
        if (answer.offset <= offset) throw hubError('the hub did not advance the upload offset', { kind: 'invalid_response' });
        offset = answer.offset;
      }
    } finally {
      await handle.close();
    }
  }

  private async finish(statePath: string, outcome: SendOutcome): Promise<SendOutcome> {
    await unlink(statePath).catch(() => undefined);
    return outcome;
  }

  private async failure(error: unknown, statePath: string): Promise<SendOutcome> {
    const reason = error instanceof Error ? error.message : String(error);
    const failure = hubFailureOf(error);
    if (!failure) return { type: 'retry', reason };
    if (isAuthFailure(failure)) return { type: 'auth_failed', reason };
    // 404: the upload expired at the hub; forget it so the next try opens a new one. 409: offset or state
    // moved (a chunk landed but its answer was lost); the next try re-reads the upload and resumes.
    const { status, retryAfterMs } = failure;
    if (status === 404) await unlink(statePath).catch(() => undefined);
    if (status === 400 || status === 413 || status === 415 || status === 422) return this.finish(statePath, rejected(reason));
    return retryAfterMs === undefined ? { type: 'retry', reason } : { type: 'retry', reason, retryAfterMs };
  }
}

function rejected(reason: string): SendOutcome {
  return { type: 'done', items: [{ status: 'rejected', reason }] };
}

async function fileSize(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}

async function readState(path: string): Promise<string | undefined> {
  try {
    const parsed = stateSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    return parsed.success ? parsed.data.uploadId : undefined;
  } catch {
    return undefined;
  }
}
