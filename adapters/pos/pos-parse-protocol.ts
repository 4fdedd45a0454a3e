import type { PosFormat, PreparedPosTransaction } from './pos-document.js';
import type { ExceptionRules, PosRejection } from './types.js';

/**
 * What the main thread sends the parse worker: a job (the raw upload, transferred, not copied), then
 * `next` after each batch it has taken in.
 */
export type PosParseRequest =
  | { readonly type: 'parse'; readonly format: PosFormat; readonly bytes: ArrayBuffer; readonly batchSize: number; readonly rules: ExceptionRules }
  | { readonly type: 'next' };

/**
 * Replies of the parse worker. Transactions come back in small batches, one per `next`: a message is
 * deserialised on the main thread, and 30,000 transactions at once (or 150 queued batches, which Node
 * delivers in one turn) would block it for seconds.
 */
export type PosParseReply =
  | { readonly type: 'batch'; readonly transactions: PreparedPosTransaction[] }
  | { readonly type: 'done'; readonly count: number; readonly rejected: PosRejection[] }
  | { readonly type: 'failed'; readonly code: string; readonly message: string; readonly details: Record<string, unknown> | undefined };
