import type { Logger } from 'pino';
import type { DispatcherHooks, FailureKind } from './stream-dispatcher.js';

export type OutboxHealth = 'ok' | 'retrying' | 'disk_warning' | 'disk_full' | 'auth_failed';

export interface OutboxStreamStats {
  readonly name: string;
  readonly pending: number;
  readonly oldestPendingAt: number | undefined;
}

export interface OutboxStats {
  /** The most serious condition; `conditions` lists all that hold. */
  readonly health: OutboxHealth;
  readonly conditions: OutboxHealth[];
  readonly pending: number;
  readonly bytesOnDisk: number;
  readonly maxBytes: number;
  readonly oldestPendingAgeMs: number | undefined;
  readonly lastError: { readonly at: number; readonly stream: string; readonly kind: FailureKind | 'disk_full'; readonly message: string } | undefined;
  readonly lastSuccessAt: number | undefined;
  readonly delivered: number;
  /** Records the hub refused for good, kept with the reason in `deadLetterPath` (one JSON line each), this run and earlier ones. */
  readonly deadLettered: number;
  readonly deadLetterPath: string;
  readonly streams: OutboxStreamStats[];
}

const SEVERITY: OutboxHealth[] = ['auth_failed', 'disk_full', 'disk_warning', 'retrying', 'ok'];

/** Turns dispatcher events and disk figures into the outbox's health, logging each change once. */
export class OutboxHealthTracker implements DispatcherHooks {
  private readonly logger: Logger;
  private readonly maxBytes: number;
  private readonly warnBytes: number;
  private lastError: OutboxStats['lastError'];
  private lastSuccessAt: number | undefined;
  private lastAuthFailureAt: number | undefined;
  private lastRefusalAt: number | undefined;
  private isDiskWarning = false;
  private delivered = 0;

  constructor(logger: Logger, maxBytes: number, warnRatio: number) {
    this.logger = logger;
    this.maxBytes = maxBytes;
    this.warnBytes = Math.floor(maxBytes * warnRatio);
  }

  onDelivered(stream: string, acked: number): void {
    this.delivered += acked;
    if (this.lastAuthFailureAt !== undefined) this.logger.info({ stream }, 'outbox: hub accepts our token again');
    this.lastAuthFailureAt = undefined;
    this.lastSuccessAt = Date.now();
  }

  onFailure(stream: string, kind: FailureKind, message: string): void {
    const at = Date.now();
    if (kind === 'auth_failed') {
      if (this.lastAuthFailureAt === undefined) this.logger.error({ stream }, `outbox: hub refused our credentials, sending paused: ${message}`);
      this.lastAuthFailureAt = at;
    } else {
      this.logger.warn({ stream, kind }, `outbox: send failed: ${message}`);
    }
    this.lastError = { at, stream, kind, message };
  }

  onDeadLetter(stream: string, seq: number, reason: string): void {
    this.logger.error({ stream, seq }, `outbox: record dead-lettered: ${reason}`);
  }

  observeDisk(bytes: number): void {
    const isWarning = bytes >= this.warnBytes;
    if (isWarning && !this.isDiskWarning) this.logger.warn({ bytes, maxBytes: this.maxBytes }, 'outbox: disk use passed the warning level');
    if (!isWarning && this.isDiskWarning) this.logger.info({ bytes, maxBytes: this.maxBytes }, 'outbox: disk use back under the warning level');
    this.isDiskWarning = isWarning;
    if (bytes < this.warnBytes) this.lastRefusalAt = undefined;
  }

  observeRefusal(message: string): void {
    const at = Date.now();
    if (this.lastRefusalAt === undefined) this.logger.error({ maxBytes: this.maxBytes }, message);
    this.lastRefusalAt = at;
    this.lastError = { at, stream: '*', kind: 'disk_full', message };
  }

  snapshot(input: { streams: OutboxStreamStats[]; bytesOnDisk: number; deadLettered: number; deadLetterPath: string }): OutboxStats {
    const now = Date.now();
    const pending = input.streams.reduce((sum, s) => sum + s.pending, 0);
    const oldest = input.streams.reduce<number | undefined>((min, s) => (s.oldestPendingAt === undefined ? min : Math.min(min ?? s.oldestPendingAt, s.oldestPendingAt)), undefined);
    const conditions = new Set<OutboxHealth>();
    if (this.lastAuthFailureAt !== undefined) conditions.add('auth_failed');
    if (this.lastRefusalAt !== undefined) conditions.add('disk_full');
    if (input.bytesOnDisk >= this.warnBytes) conditions.add('disk_warning');
    if (pending > 0 && this.lastError !== undefined && this.lastError.kind !== 'disk_full' && this.lastError.at > (this.lastSuccessAt ?? 0)) conditions.add('retrying');
    const ordered = SEVERITY.filter((h) => conditions.has(h));
    return {
      health: ordered[0] ?? 'ok',
      conditions: ordered,
      pending,
      bytesOnDisk: input.bytesOnDisk,
      maxBytes: this.maxBytes,
      oldestPendingAgeMs: oldest === undefined ? undefined : now - oldest,
      lastError: this.lastError,
      lastSuccessAt: this.lastSuccessAt,
      delivered: this.delivered,
      deadLettered: input.deadLettered,
      deadLetterPath: input.deadLetterPath,
      streams: input.streams,
    };
  }
}
