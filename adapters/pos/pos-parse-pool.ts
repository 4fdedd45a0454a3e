import { Worker } from 'node:worker_threads';
import { AppError, ERROR_CODES, type ErrorCode } from '../../contracts/index.js';
import type { PosFormat, PreparedPosTransaction } from './pos-document.js';
import type { PosParseReply, PosParseRequest } from './pos-parse-protocol.js';
import { DEFAULT_EXCEPTION_RULES, type ExceptionRules, type PosDocument } from './types.js';

// From source (tests, tsx) the entry is TypeScript; from dist/ it is the compiled `.js` beside this file.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(`./pos-parse-worker${FROM_SOURCE ? '.ts' : '.js'}`, import.meta.url);
// Node 20 resolves a worker's entry before hooks from `execArgv: ['--import', 'tsx']` apply, so a .ts entry fails
// with ERR_UNKNOWN_FILE_EXTENSION (checked on 20.20). Registering tsx's loader first, then importing the entry, works.
const BOOTSTRAP = FROM_SOURCE
  ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`
  : `import(${JSON.stringify(WORKER_URL.href)});`;

/** Transactions per message back from the worker: each message costs the main thread a few ms to receive. */
const BATCH_SIZE = 100;

export interface PosParsePoolOptions {
  /** Uploads parsed at once; more wait their turn (each parse holds the upload and its result in memory). */
  readonly maxConcurrent: number;
}

function toAppError(reply: Extract<PosParseReply, { type: 'failed' }>): AppError {
  const code = (reply.code in ERROR_CODES ? reply.code : 'internal') as ErrorCode;
  return new AppError(code, reply.message, reply.details === undefined ? {} : { details: reply.details });
}

/**
 * Parses POS uploads in worker threads, so a large POSLog never blocks the hub's event loop (health
 * checks and every other tenant's requests keep being answered). Workers are started on first use and
 * kept for the next upload (starting one costs about a second); a worker that fails is replaced. Idle
 * workers do not keep the process alive.
 */
export class PosParsePool {
  private readonly maxConcurrent: number;
  private running = 0;
  private readonly idle: Worker[] = [];
  private readonly waiting: Array<() => void> = [];

  constructor(options: PosParsePoolOptions) {
    this.maxConcurrent = Math.max(1, options.maxConcurrent);
  }

  async parse(format: PosFormat, body: Buffer, rules: ExceptionRules = DEFAULT_EXCEPTION_RULES): Promise<PosDocument<PreparedPosTransaction>> {
    if (this.running >= this.maxConcurrent) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
    const worker = this.idle.pop() ?? startWorker();
    worker.ref();
    let isHealthy = false;
    try {
      const document = await runJob(worker, format, body, rules);
      isHealthy = true;
      return document;
    } catch (error) {
      isHealthy = error instanceof AppError && error.expose;
      throw error;
    } finally {
      if (isHealthy) {
        worker.unref();
        this.idle.push(worker);
      } else {
        void worker.terminate();
      }
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }

  /** Stops the idle workers (those at work stop when their upload is answered). */
  async close(): Promise<void> {
    await Promise.all(this.idle.splice(0).map((worker) => worker.terminate()));
  }
}

function startWorker(): Worker {
  return new Worker(BOOTSTRAP, { eval: true });
}

function ownBuffer(body: Buffer): ArrayBuffer {
  // A pooled Buffer shares its ArrayBuffer with others: only a body that owns its memory is transferred.
  if (body.buffer instanceof ArrayBuffer && body.byteOffset === 0 && body.byteLength === body.buffer.byteLength) return body.buffer;
  const copy = new ArrayBuffer(body.byteLength);
  new Uint8Array(copy).set(body);
  return copy;
}

function runJob(worker: Worker, format: PosFormat, body: Buffer, rules: ExceptionRules): Promise<PosDocument<PreparedPosTransaction>> {
  const bytes = ownBuffer(body);
  const transactions: PreparedPosTransaction[] = [];
  return new Promise<PosDocument<PreparedPosTransaction>>((resolve, reject) => {
    const onMessage = (reply: PosParseReply): void => {
      if (reply.type === 'batch') {
        transactions.push(...reply.transactions);
        // Ask for the next batch on a later turn, so requests waiting on the event loop go first.
        setImmediate(() => worker.postMessage({ type: 'next' } satisfies PosParseRequest));
      } else if (reply.type === 'done') settle(() => resolve({ transactions, rejected: reply.rejected }));
      else settle(() => reject(toAppError(reply)));
    };
    const onError = (cause: Error): void => settle(() => reject(new AppError('internal', 'the POS parse worker failed', { cause })));
    const onExit = (code: number): void => settle(() => reject(new AppError('internal', `the POS parse worker exited with code ${code} before answering`)));
    const settle = (outcome: () => void): void => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      outcome();
    };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    worker.postMessage({ type: 'parse', format, bytes, batchSize: BATCH_SIZE, rules } satisfies PosParseRequest, [bytes]);
  });
}
