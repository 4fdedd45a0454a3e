import type { BackoffOptions } from './backoff.js';
import type { SendGate } from './backoff.js';
import { backoffDelay, sleep } from './backoff.js';
import type { DeadLetterFile } from './dead-letter.js';
import type { BatchSender, ItemOutcome, OutboundRecord, SendOutcome } from './sender.js';
import type { LogRecord, StreamLog } from './stream-log.js';

export type FailureKind = 'retry' | 'auth_failed' | 'batch_invalid' | 'error';

export interface DispatcherHooks {
  onDelivered(stream: string, acked: number): void;
  onFailure(stream: string, kind: FailureKind, reason: string): void;
  onDeadLetter(stream: string, seq: number, reason: string): void;
}

export interface StreamDispatcherOptions {
  readonly name: string;
  readonly log: StreamLog;
  readonly sender: BatchSender;
  readonly deadLetter: DeadLetterFile;
  readonly gate: SendGate;
  readonly backoff: BackoffOptions;
  readonly authRetryMs: number;
  readonly hooks: DispatcherHooks;
}

/** A record sent while it was being written (see `BatchSender.sendsAhead`); settled once it is stored. */
interface AheadSend {
  readonly json: string;
  readonly outbound: OutboundRecord;
  readonly outcome: Promise<SendOutcome | Error>;
}

interface StepResult {
  readonly progressed: boolean;
  readonly delayMs: number;
  readonly nextLimit: number;
  /** Last sequence number of the smallest batch refused as a whole: the culprit is at or before it. */
  readonly suspectUntil?: number | undefined;
}

function parsePayload(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Sends one stream in order: the head batch is retried until every record in it is delivered or
 * dead-lettered, so record N+1 never reaches the hub before record N has been settled.
 */
export class StreamDispatcher {
  private readonly options: StreamDispatcherOptions;
  private readonly abort = new AbortController();
  private isDraining = false;
  private wake: (() => void) | undefined;
  private running: Promise<void> = Promise.resolve();
  private isSending = false;
  private ahead: AheadSend | undefined;

  constructor(options: StreamDispatcherOptions) {
    this.options = options;
  }

  start(): void {
    this.running = this.loop();
  }

  /**
   * Starts sending a record that is being appended, when the sender asks for it and the stream has nothing else
   * pending or in flight (so order holds). Returns the send to hand back to `forgetAhead` if the append fails.
   */
  sendAhead(json: string, at: number): AheadSend | undefined {
    const { sender, log } = this.options;
    if (sender.sendsAhead !== true || this.isSending || this.ahead !== undefined || this.isDraining) return undefined;
    if (log.pendingCount > 0 || !log.isIdle) return undefined;
    const outbound: OutboundRecord = { seq: log.nextSeq, at, payload: parsePayload(json) };
    const outcome = sender.send([outbound], this.abort.signal).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    this.ahead = { json, outbound, outcome };
    return this.ahead;
  }

  /** The append of a record sent ahead failed: nothing was stored, so there is nothing to settle. */
  forgetAhead(ahead: AheadSend): void {
    if (this.ahead === ahead) this.ahead = undefined;
  }

  /** New records were appended. */
  notify(): void {
    this.wake?.();
  }

  /** Stops once the stream is empty (draining) or at `deadline`, whichever comes first. */
  async stop(deadline: number): Promise<void> {
    this.isDraining = true;
    this.wake?.();
    const timer = setTimeout(() => this.abort.abort(), Math.max(0, deadline - Date.now()));
    try {
      await this.running;
    } finally {
      clearTimeout(timer);
    }
  }

  private async loop(): Promise<void> {
    const { log, sender, gate, hooks, name } = this.options;
    const signal = this.abort.signal;
    let attempt = 0;
    let limit = sender.maxBatch;
    let suspectUntil: number | undefined;
    while (!signal.aborted) {
      if (log.pendingCount === 0) {
        if (this.isDraining) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      await gate.wait(signal);
      if (signal.aborted) return;
      let result: StepResult;
      this.isSending = true;
      try {
        result = await this.step(limit, attempt + 1, suspectUntil);
      } catch (error) {
        if (signal.aborted) return;
        hooks.onFailure(name, 'error', error instanceof Error ? error.message : String(error));
        result = { progressed: false, delayMs: backoffDelay(attempt + 1, this.options.backoff), nextLimit: limit };
      } finally {
        this.isSending = false;
      }
      attempt = result.progressed ? 0 : attempt + 1;
      limit = result.nextLimit;
      if ('suspectUntil' in result) suspectUntil = result.suspectUntil;
      if (result.delayMs > 0) await sleep(result.delayMs, signal);
    }
  }

  private async step(limit: number, attempt: number, suspectUntil: number | undefined): Promise<StepResult> {
    const { log, sender } = this.options;
    const ahead = await this.takeAhead();
    if (ahead !== undefined) return this.settle(ahead.records, [ahead.outbound], ahead.outcome, { limit, attempt, suspectUntil });
    const records = await log.readPending(limit);
    const outbound: OutboundRecord[] = records.map((r) => ({ seq: r.seq, at: r.at, payload: parsePayload(r.json) }));
    const outcome = await sender.send(outbound, this.abort.signal);
    if (this.abort.signal.aborted && outcome.type !== 'done') return { progressed: false, delayMs: 0, nextLimit: limit };
    return this.settle(records, outbound, outcome, { limit, attempt, suspectUntil });
  }

  /** The outcome of the record sent ahead, once it is stored and is the head of the stream; else nothing. */
  private async takeAhead(): Promise<{ records: LogRecord[]; outbound: OutboundRecord; outcome: SendOutcome } | undefined> {
    const ahead = this.ahead;
    if (ahead === undefined) return undefined;
    const outcome = await ahead.outcome;
    this.ahead = undefined;
    const records = await this.options.log.readPending(1);
    if (outcome instanceof Error || records[0]?.json !== ahead.json) return undefined;
    if (this.abort.signal.aborted && outcome.type !== 'done') return undefined;
    return { records, outbound: { ...ahead.outbound, seq: records[0].seq }, outcome };
  }

  private async settle(records: LogRecord[], outbound: OutboundRecord[], outcome: SendOutcome, state: { limit: number; attempt: number; suspectUntil: number | undefined }): Promise<StepResult> {
    const { limit, attempt } = state;
    const { hooks, name, sender, gate } = this.options;
    switch (outcome.type) {
      case 'done':
        return this.applyItems(records, outbound, outcome.items, state);
      case 'retry': {
        hooks.onFailure(name, 'retry', outcome.reason);
        if (outcome.retryAfterMs !== undefined) gate.pause(outcome.retryAfterMs);
        const delayMs = outcome.retryAfterMs ?? backoffDelay(attempt, this.options.backoff);
        return { progressed: false, delayMs, nextLimit: limit };
      }
      case 'auth_failed':
        hooks.onFailure(name, 'auth_failed', outcome.reason);
        gate.pause(this.options.authRetryMs);
        return { progressed: false, delayMs: 0, nextLimit: limit };
      case 'batch_invalid': {
        hooks.onFailure(name, 'batch_invalid', outcome.reason);
        // Binary search for the culprit: halve the refused batch; a good half moves the search to the
        // other half (applyItems), so it takes about log2(batch) refused requests, never a loop.
        if (records.length > 1) return { progressed: false, delayMs: 0, nextLimit: Math.ceil(records.length / 2), suspectUntil: records.at(-1)!.seq };
        await this.deadLetter(records[0]!, outbound[0]!, `hub refused the record: ${outcome.reason}`);
        await this.options.log.ack(records[0]!);
        return { progressed: true, delayMs: 0, nextLimit: sender.maxBatch, suspectUntil: undefined };
      }
    }
  }

  private async applyItems(
    records: LogRecord[],
    outbound: OutboundRecord[],
    items: ReadonlyArray<ItemOutcome | undefined>,
    { limit, attempt, suspectUntil }: { limit: number; attempt: number; suspectUntil: number | undefined },
  ): Promise<StepResult> {
    const { hooks, name, sender, log } = this.options;
    let last: LogRecord | undefined;
    let delivered = 0;
    for (let i = 0; i < records.length; i += 1) {
      const item = items[i];
      if (item === undefined) break;
      if (item.status === 'rejected') await this.deadLetter(records[i]!, outbound[i]!, item.reason);
      else delivered += 1;
      last = records[i];
    }
    if (!last) {
      hooks.onFailure(name, 'retry', 'the hub answered without a result for the first record');
      return { progressed: false, delayMs: backoffDelay(attempt, this.options.backoff), nextLimit: limit };
    }
    await log.ack(last);
    hooks.onDelivered(name, delivered);
    if (suspectUntil !== undefined && last.seq < suspectUntil) {
      return { progressed: true, delayMs: 0, nextLimit: Math.min(sender.maxBatch, suspectUntil - last.seq), suspectUntil };
    }
    return { progressed: true, delayMs: 0, nextLimit: sender.maxBatch, suspectUntil: undefined };
  }

  private async deadLetter(record: LogRecord, outbound: OutboundRecord, reason: string): Promise<void> {
    await this.options.deadLetter.write({ stream: this.options.name, seq: record.seq, reason, payload: outbound.payload ?? record.json });
    this.options.hooks.onDeadLetter(this.options.name, record.seq, reason);
  }
}
