import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { fsyncDir, writeFileAtomic } from './atomic-file.js';
import { AppError, isAppError } from '../../contracts/index.js';
import { FRAME_HEADER_BYTES, encodeFrame, scanFrames } from './frame.js';
import type { RecoveredStream, RecoveryIssue, Segment } from './segment-recovery.js';
import { recoverSegments, segmentName } from './segment-recovery.js';

/** A stored record as read back for sending; `seq` is its position in the stream. */
export interface LogRecord {
  readonly seq: number;
  readonly at: number;
  readonly json: string;
  readonly segmentFirstSeq: number;
  readonly offset: number;
  readonly size: number;
}

export interface StreamLogOptions {
  readonly maxBodyBytes: number;
  readonly segmentBytes: number;
}

interface PendingAppend {
  readonly json: string;
  readonly at: number;
  readonly resolve: (seq: number) => void;
  readonly reject: (error: unknown) => void;
}

const cursorSchema = z.strictObject({ ackedSeq: z.number().int().nonnegative() });
const CURSOR_FILE = 'cursor.json';
/** Read-ahead when fetching a batch: enough for typical events (well under 1 KiB) without reading whole segments. */
const READ_CHUNK_MIN = 64 * 1024;
const READ_BYTES_PER_RECORD = 2 * 1024;

/**
 * One ordered stream (one camera's events, say): append-only segment files plus a cursor file holding
 * the highest acknowledged sequence number. Concurrent appends are group-committed: every append that
 * arrives while an fsync is in flight is written and synced together by the next one, and each
 * `append()` resolves only after the fsync that covers it.
 */
export class StreamLog {
  readonly dir: string;
  readonly issues: RecoveryIssue[];
  private readonly options: StreamLogOptions;
  private readonly segments: Segment[];
  private ackedSeqValue: number;
  private nextSeqValue: number;
  private head: { seq: number; firstSeq: number; offset: number } | undefined;
  private headAt: number | undefined;
  private active: FileHandle | undefined;
  private readonly queue: PendingAppend[] = [];
  private isFlushing = false;
  private flushDone: Promise<void> = Promise.resolve();
  private broken: unknown;
  private compaction: Promise<unknown> = Promise.resolve();

  private constructor(dir: string, options: StreamLogOptions, state: { segments: Segment[]; ackedSeq: number; head: RecoveredStream['head']; issues: RecoveryIssue[] }) {
    this.dir = dir;
    this.options = options;
    this.segments = state.segments;
    this.ackedSeqValue = state.ackedSeq;
    this.head = state.head;
    this.headAt = state.head?.at;
    this.issues = state.issues;
    const last = state.segments.at(-1);
    this.nextSeqValue = Math.max(last ? last.lastSeq + 1 : 1, state.ackedSeq + 1);
  }

  static async open(dir: string, options: StreamLogOptions): Promise<StreamLog> {
    await mkdir(dir, { recursive: true });
    const ackedSeq = await readCursor(join(dir, CURSOR_FILE));
    const recovered = await recoverSegments(dir, ackedSeq, options.maxBodyBytes);
    const log = new StreamLog(dir, options, { segments: recovered.segments, ackedSeq, head: recovered.head, issues: recovered.issues });
    const last = recovered.segments.at(-1);
    if (last) log.active = await open(last.path, 'r+');
    return log;
  }

  get ackedSeq(): number {
    return this.ackedSeqValue;
  }

  /** Sequence number the next append will get. */
  get nextSeq(): number {
    return this.nextSeqValue;
  }

  get pendingCount(): number {
    let count = 0;
    for (const segment of this.segments) count += Math.max(0, segment.lastSeq - Math.max(segment.firstSeq - 1, this.ackedSeqValue));
    return count;
  }

  get bytesOnDisk(): number {
    return this.segments.reduce((sum, segment) => sum + segment.size, 0);
  }

  /** Bytes of segments that hold nothing pending and could be deleted by `compact({ includeActive: true })`. */
  get reclaimableBytes(): number {
    return this.segments.filter((segment) => segment.lastSeq <= this.ackedSeqValue).reduce((sum, segment) => sum + segment.size, 0);
  }

  /** Append time (epoch ms) of the oldest record not yet acknowledged, if any. */
  get oldestPendingAt(): number | undefined {
    return this.pendingCount > 0 ? this.headAt : undefined;
  }

  /** True while no append is queued or being written: the next append becomes the stream's only new record. */
  get isIdle(): boolean {
    return this.queue.length === 0 && !this.isFlushing;
  }

  /** Resolves with the record's sequence number once it is on disk (written and fsynced). */
  append(json: string, at: number): Promise<number> {
    if (this.broken !== undefined) return Promise.reject(new AppError('outbox_io', `stream ${this.dir} is unusable after a failed write`, { cause: this.broken }));
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ json, at, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.isFlushing) return;
    this.isFlushing = true;
    this.flushDone = this.flushLoop();
  }

  private async flushLoop(): Promise<void> {
    // The emptiness check and the flag reset run in one synchronous step, so an append can never be
    // queued after the last check and left behind with no loop running.
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.queue.length);
      await this.writeBatch(batch);
    }
    this.isFlushing = false;
  }

  private async writeBatch(batch: PendingAppend[]): Promise<void> {
    const firstSeq = this.nextSeqValue;
    const frames = batch.map((item, i) => encodeFrame(firstSeq + i, item.at, item.json));
    const buffer = Buffer.concat(frames);
    try {
      let segment = this.segments.at(-1);
      // A segment holds consecutive sequence numbers only (recovery checks it), hence the continuity test.
      const isFull = segment !== undefined && segment.size > 0 && segment.size + buffer.length > this.options.segmentBytes;
      if (!segment || !this.active || isFull || segment.lastSeq + 1 !== firstSeq) {
        segment = await this.rotate(firstSeq);
      }
      const offset = segment.size;
      await this.writeDurably(segment, buffer);
      if (this.pendingCount === 0) {
        this.headAt = batch[0]!.at;
        // Nothing was pending (e.g. reopened after every record was acknowledged): the head is this batch.
        this.head = { seq: firstSeq, firstSeq: segment.firstSeq, offset };
      }
      segment.lastSeq = firstSeq + batch.length - 1;
      segment.size += buffer.length;
      this.nextSeqValue = firstSeq + batch.length;
    } catch (error) {
      const failure = isAppError(error) ? error : new AppError('outbox_io', `append to ${this.dir} failed: ${String(error)}`, { cause: error });
      for (const item of batch) item.reject(failure);
      return;
    }
    batch.forEach((item, i) => item.resolve(firstSeq + i));
  }

  private async writeDurably(segment: Segment, buffer: Buffer): Promise<void> {
    const handle = this.active!;
    try {
      await handle.write(buffer, 0, buffer.length, segment.size);
      await handle.sync();
    } catch (error) {
      // Cut the half-written batch off so the file ends on a frame boundary and later appends stay readable.
      try {
        await handle.truncate(segment.size);
      } catch (truncateError) {
        this.broken = truncateError;
      }
      throw error;
    }
  }

  private async rotate(firstSeq: number): Promise<Segment> {
    if (this.active) await this.active.close();
    this.active = undefined;
    const path = join(this.dir, segmentName(firstSeq));
    this.active = await open(path, 'w+');
    await fsyncDir(this.dir);
    const segment: Segment = { firstSeq, lastSeq: firstSeq - 1, size: 0, path };
    this.segments.push(segment);
    return segment;
  }

  /** Reads up to `maxRecords` pending records in order, starting at `ackedSeq + 1`. */
  async readPending(maxRecords: number): Promise<LogRecord[]> {
    const records: LogRecord[] = [];
    let position = this.locateHead();
    while (position && records.length < maxRecords) {
      const { segment, offset } = position;
      const remaining = segment.size - offset;
      if (remaining > 0) {
        const wanted = maxRecords - records.length;
        let chunk = await readRange(segment.path, offset, Math.min(remaining, Math.max(READ_CHUNK_MIN, wanted * READ_BYTES_PER_RECORD)));
        let scan = scanFrames(chunk, { baseOffset: offset, maxBodyBytes: this.options.maxBodyBytes, maxRecords: wanted });
        if (scan.records.length === 0 && scan.stop === 'short' && chunk.length >= FRAME_HEADER_BYTES) {
          // One record larger than the read-ahead: read exactly that frame.
          chunk = await readRange(segment.path, offset, Math.min(remaining, FRAME_HEADER_BYTES + chunk.readUInt32BE(0)));
          scan = scanFrames(chunk, { baseOffset: offset, maxBodyBytes: this.options.maxBodyBytes, maxRecords: wanted });
        }
        if (scan.records.length === 0) throw new AppError('outbox_io', `unreadable record at ${segment.path}:${offset} (${scan.stop})`);
        for (const record of scan.records) records.push({ ...record, segmentFirstSeq: segment.firstSeq });
        if (scan.goodEnd < remaining) {
          position = { segment, offset: offset + scan.goodEnd };
          continue;
        }
      }
      const next = this.segments[this.segments.indexOf(segment) + 1];
      position = next ? { segment: next, offset: 0 } : undefined;
    }
    return records;
  }

  private locateHead(): { segment: Segment; offset: number } | undefined {
    const target = this.ackedSeqValue + 1;
    const segment = this.segments.find((s) => s.lastSeq >= target && s.lastSeq >= s.firstSeq);
    if (!segment) return undefined;
    if (this.head && this.head.seq === target && this.head.firstSeq === segment.firstSeq) return { segment, offset: this.head.offset };
    if (segment.firstSeq >= target) return { segment, offset: 0 };
    // Recovery positions the head in every segment it scans and ack() moves it, so this means a bug.
    throw new AppError('outbox_io', `record ${target} not positioned in ${segment.path}`);
  }

  /**
   * Marks every record up to and including `record` as delivered: the cursor file is replaced
   * atomically, then segments holding nothing pending are deleted.
   */
  async ack(record: LogRecord): Promise<void> {
    if (record.seq <= this.ackedSeqValue) return;
    await writeFileAtomic(join(this.dir, CURSOR_FILE), JSON.stringify({ ackedSeq: record.seq }));
    this.ackedSeqValue = record.seq;
    this.head = { seq: record.seq + 1, firstSeq: record.segmentFirstSeq, offset: record.offset + record.size };
    await this.compact({ includeActive: false });
    this.headAt = this.pendingCount > 0 ? (await this.readPending(1))[0]?.at : undefined;
  }

  /** Deletes fully acknowledged segments; the active one too when asked (it is recreated on the next append). */
  compact(options: { includeActive: boolean }): Promise<number> {
    // Serialised: an ack's compaction and a disk-bound compaction must not delete the same file twice.
    const run = this.compaction.then(() => this.compactNow(options));
    this.compaction = run.catch(() => 0);
    return run;
  }

  private async compactNow(options: { includeActive: boolean }): Promise<number> {
    const last = this.segments.at(-1);
    // Taking the flush flag keeps appends off the active segment while it is closed and deleted.
    const takesActive = options.includeActive && !this.isFlushing && last !== undefined && last.lastSeq <= this.ackedSeqValue;
    if (takesActive) this.isFlushing = true;
    let freed = 0;
    try {
      const removable = this.segments.filter((s) => s.lastSeq <= this.ackedSeqValue && (s !== last || takesActive));
      for (const segment of removable) {
        if (segment === last && this.active) {
          await this.active.close();
          this.active = undefined;
        }
        await unlink(segment.path);
        this.segments.splice(this.segments.indexOf(segment), 1);
        freed += segment.size;
      }
      if (removable.length > 0) await fsyncDir(this.dir);
    } finally {
      if (takesActive) {
        this.isFlushing = false;
        if (this.queue.length > 0) this.kick();
      }
    }
    return freed;
  }

  /** Waits for queued appends, then closes the active segment. */
  async close(): Promise<void> {
    await this.flushDone;
    await this.compaction;
    if (this.active) await this.active.close();
    this.active = undefined;
  }
}

async function readCursor(path: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  const parsed = cursorSchema.safeParse(parseJson(text));
  if (!parsed.success) throw new AppError('outbox_io', `cursor file ${path} is not valid: ${parsed.error.message}`);
  return parsed.data.ackedSeq;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function readRange(path: string, offset: number, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
