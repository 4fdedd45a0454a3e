import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { DetectionEventInput, VmsAlarm } from '../../contracts/index.js';
import { AppError, detectionEventSchema, vmsAlarmSchema } from '../../contracts/index.js';
import { fsyncDir } from './atomic-file.js';
import type { BackoffOptions } from './backoff.js';
import { DEFAULT_BACKOFF, SendGate } from './backoff.js';
import { DeadLetterFile } from './dead-letter.js';
import { acquireDirLock } from './dir-lock.js';
import type { EvidenceJobInput } from './evidence-job.js';
import { evidenceJobSchema } from './evidence-job.js';
import { frameSize } from './frame.js';
import { OutboxHealthTracker } from './outbox-health.js';
import type { OutboxStats } from './outbox-health.js';
import type { BatchSender } from './sender.js';
import { StreamDispatcher } from './stream-dispatcher.js';
import type { LogRecord } from './stream-log.js';
import { StreamLog } from './stream-log.js';

export interface OutboxOptions {
  /** Directory owned by this outbox (created if missing); one process at a time. */
  readonly dir: string;
  /** Bound of segment bytes on disk; appends beyond it fail with `outbox_full`. Default 1 GiB. */
  readonly maxBytes?: number;
  /** Fraction of `maxBytes` at which health turns to `disk_warning`. Default 0.8. */
  readonly warnRatio?: number;
  readonly segmentBytes?: number;
  readonly maxRecordBytes?: number;
  /** One sender per record kind; kinds without one are stored and wait. */
  readonly senders?: Readonly<Record<string, BatchSender>>;
  readonly backoff?: BackoffOptions;
  /** Pause after a 401/403 before trying again. Default 5 minutes. */
  readonly authRetryMs?: number;
  readonly logger?: Logger;
}

export interface AppendReceipt {
  readonly stream: string;
  readonly seq: number;
}

const NAME_PART = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The plugin's durable outbox: every record is fsynced to its stream's log before `append()` resolves,
 * then sent in order per stream (kind + ordering key, e.g. events of one camera), streams independently.
 */
export class Outbox {
  private readonly options: Required<Omit<OutboxOptions, 'senders' | 'logger'>> & { readonly senders: Readonly<Record<string, BatchSender>> };
  private readonly logger: Logger;
  private readonly streamsDir: string;
  private readonly logs = new Map<string, StreamLog>();
  private readonly opening = new Map<string, Promise<StreamLog>>();
  private readonly dispatchers = new Map<string, StreamDispatcher>();
  private readonly gate = new SendGate();
  private readonly deadLetter: DeadLetterFile;
  private readonly health: OutboxHealthTracker;
  private readonly releaseLock: () => Promise<void>;
  private reservedBytes = 0;
  private isClosed = false;

  private constructor(options: OutboxOptions, releaseLock: () => Promise<void>) {
    this.options = {
      dir: options.dir,
      maxBytes: options.maxBytes ?? 1024 ** 3,
      warnRatio: options.warnRatio ?? 0.8,
      segmentBytes: options.segmentBytes ?? 4 * 1024 ** 2,
      maxRecordBytes: options.maxRecordBytes ?? 1024 ** 2,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      authRetryMs: options.authRetryMs ?? 300_000,
      senders: options.senders ?? {},
    };
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.streamsDir = join(options.dir, 'streams');
    this.deadLetter = new DeadLetterFile(join(options.dir, 'dead-letter.jsonl'));
    this.health = new OutboxHealthTracker(this.logger, this.options.maxBytes, this.options.warnRatio);
    this.releaseLock = releaseLock;
  }

  static async open(options: OutboxOptions): Promise<Outbox> {
    await mkdir(join(options.dir, 'streams'), { recursive: true });
    const release = await acquireDirLock(options.dir);
    const outbox = new Outbox(options, release);
    try {
      await outbox.deadLetter.load();
      for (const name of await readdir(outbox.streamsDir)) {
        if (name.includes('~')) await outbox.openStream(name);
      }
    } catch (error) {
      await outbox.closeLogs();
      await release();
      throw error;
    }
    outbox.health.observeDisk(outbox.bytesOnDisk());
    return outbox;
  }

  /**
   * Stores one record durably and resolves once it is fsynced. Fails with `outbox_full` at the disk
   * bound, `record_too_large`, `invalid_record` or `outbox_closed`; a failed append stored nothing.
   */
  async append(kind: string, key: string, payload: unknown): Promise<AppendReceipt> {
    if (this.isClosed) throw new AppError('outbox_closed', 'the outbox is closed');
    if (!NAME_PART.test(kind) || !NAME_PART.test(key)) {
      throw new AppError('invalid_record', `stream kind and key must match ${NAME_PART.source}: got ${JSON.stringify(kind)}/${JSON.stringify(key)}`);
    }
    const json = JSON.stringify(payload);
    if (json === undefined) throw new AppError('invalid_record', 'payload is not JSON-serialisable');
    const bytes = frameSize(Buffer.byteLength(json));
    if (bytes - 8 > this.options.maxRecordBytes) {
      throw new AppError('record_too_large', `record of ${bytes} bytes exceeds the limit of ${this.options.maxRecordBytes}`);
    }
    // No await before log.append() on the usual path (stream open, room on disk), so concurrent
    // appends to one stream keep their call order.
    if (!this.hasRoomFor(bytes)) await this.reclaim(bytes);
    this.reservedBytes += bytes;
    const stream = `${kind}~${key}`;
    try {
      const log = this.logs.get(stream) ?? (await this.openStream(stream));
      const dispatcher = this.dispatchers.get(stream);
      const at = Date.now();
      const ahead = dispatcher?.sendAhead(json, at);
      try {
        const seq = await log.append(json, at);
        dispatcher?.notify();
        return { stream, seq };
      } catch (error) {
        if (ahead !== undefined) dispatcher?.forgetAhead(ahead);
        throw error;
      }
    } finally {
      this.reservedBytes -= bytes;
      this.health.observeDisk(this.bytesOnDisk());
    }
  }

  /** Validates a detection event against the contract and appends it to its camera's stream. */
  async appendEvent(event: DetectionEventInput): Promise<AppendReceipt> {
    const parsed = detectionEventSchema.safeParse(event);
    if (!parsed.success) throw new AppError('invalid_record', `not a valid detection event: ${parsed.error.message}`);
    return this.append('event', parsed.data.cameraId, parsed.data);
  }

  /** Validates an evidence upload job and appends it to its camera's evidence stream. */
  async appendEvidenceJob(job: EvidenceJobInput): Promise<AppendReceipt> {
    const parsed = evidenceJobSchema.safeParse(job);
    if (!parsed.success) throw new AppError('invalid_record', `not a valid evidence job: ${parsed.error.message}`);
    return this.append('evidence', parsed.data.upload.cameraId, parsed.data);
  }

  /** Validates a VMS alarm and appends it to its camera's alarm stream (sent by the VMS adapter, not to the hub). */
  async appendAlarm(alarm: VmsAlarm): Promise<AppendReceipt> {
    const parsed = vmsAlarmSchema.safeParse(alarm);
    if (!parsed.success) throw new AppError('invalid_record', `not a valid VMS alarm: ${parsed.error.message}`);
    return this.append('vms', parsed.data.camera.id, parsed.data);
  }

  private hasRoomFor(bytes: number): boolean {
    return this.bytesOnDisk() + this.reservedBytes + bytes <= this.options.maxBytes;
  }

  /** Frees acknowledged bytes still held by active segments; refuses the record if that is not enough. */
  private async reclaim(bytes: number): Promise<void> {
    for (const log of this.logs.values()) if (log.reclaimableBytes > 0) await log.compact({ includeActive: true });
    if (this.hasRoomFor(bytes)) return;
    const used = this.bytesOnDisk() + this.reservedBytes;
    const error = new AppError('outbox_full', `outbox is full: ${used} of ${this.options.maxBytes} bytes used, record of ${bytes} bytes refused`, {
      details: { used, maxBytes: this.options.maxBytes },
    });
    this.health.observeRefusal(error.message);
    throw error;
  }

  private openStream(stream: string): Promise<StreamLog> {
    const pending = this.opening.get(stream);
    if (pending) return pending;
    const run = (async () => {
      const dir = join(this.streamsDir, stream);
      const log = await StreamLog.open(dir, { maxBodyBytes: this.options.maxRecordBytes + 16, segmentBytes: this.options.segmentBytes });
      await fsyncDir(this.streamsDir);
      for (const issue of log.issues) this.logger.warn({ stream, issue }, `outbox recovery: ${issue.kind} in ${issue.file} (${issue.bytes} bytes)`);
      this.logs.set(stream, log);
      this.startDispatcher(stream, log);
      return log;
    })();
    this.opening.set(stream, run);
    run.catch(() => this.opening.delete(stream));
    return run;
  }

  private startDispatcher(stream: string, log: StreamLog): void {
    const kind = stream.slice(0, stream.indexOf('~'));
    const sender = this.options.senders[kind];
    if (!sender) return;
    const dispatcher = new StreamDispatcher({
      name: stream,
      log,
      sender,
      deadLetter: this.deadLetter,
      gate: this.gate,
      backoff: this.options.backoff,
      authRetryMs: this.options.authRetryMs,
      hooks: this.health,
    });
    this.dispatchers.set(stream, dispatcher);
    dispatcher.start();
  }

  bytesOnDisk(): number {
    let sum = 0;
    for (const log of this.logs.values()) sum += log.bytesOnDisk;
    return sum;
  }

  /** Pending records of one stream, oldest first: for inspection and tests; does not change state. */
  async peek(kind: string, key: string, max: number): Promise<Array<{ seq: number; at: number; payload: unknown }>> {
    const log = this.logs.get(`${kind}~${key}`);
    const records: LogRecord[] = log ? await log.readPending(max) : [];
    return records.map((r) => ({ seq: r.seq, at: r.at, payload: JSON.parse(r.json) as unknown }));
  }

  stats(): OutboxStats {
    const streams = [...this.logs.entries()].map(([name, log]) => ({ name, pending: log.pendingCount, oldestPendingAt: log.oldestPendingAt }));
    return this.health.snapshot({ streams, bytesOnDisk: this.bytesOnDisk(), deadLettered: this.deadLetter.written, deadLetterPath: this.deadLetter.path });
  }

  /**
   * Refuses new appends, keeps sending for up to `drainTimeoutMs`, then aborts what is in flight and
   * closes the files (every stored record is already fsynced). Returns how many records remain.
   */
  async close(options: { drainTimeoutMs?: number } = {}): Promise<{ pending: number }> {
    if (this.isClosed) return { pending: this.stats().pending };
    this.isClosed = true;
    const deadline = Date.now() + (options.drainTimeoutMs ?? 0);
    await Promise.all([...this.dispatchers.values()].map((d) => d.stop(deadline)));
    await Promise.allSettled(this.opening.values());
    const pending = this.stats().pending;
    await this.closeLogs();
    await this.releaseLock();
    return { pending };
  }

  private async closeLogs(): Promise<void> {
    await Promise.all([...this.logs.values()].map((log) => log.close()));
  }
}

export function openOutbox(options: OutboxOptions): Promise<Outbox> {
  return Outbox.open(options);
}
