// Worker-thread entry: parses POS uploads away from the hub's event loop (a 32 MB POSLog takes seconds
// of CPU), one at a time, and hands each upload's transactions back one batch per request.
import { parentPort } from 'node:worker_threads';
import { AppError, isAppError } from '../../contracts/index.js';
import { parsePosDocument, preparePosTransaction, type PreparedPosTransaction } from './pos-document.js';
import type { PosParseReply, PosParseRequest } from './pos-parse-protocol.js';
import type { PosRejection } from './types.js';

function failure(error: unknown): PosParseReply {
  if (isAppError(error) && error.expose) return { type: 'failed', code: error.code, message: error.message, details: error.details };
  return { type: 'failed', code: 'internal', message: error instanceof Error ? error.message : String(error), details: undefined };
}

const port = parentPort;
if (port === null) throw new AppError('internal', 'pos-parse-worker must run in a worker thread');
let parsed: PreparedPosTransaction[] = [];
let rejected: PosRejection[] = [];
let sent = 0;
let batchSize = 1;

function sendNext(): void {
  if (sent >= parsed.length) {
    port?.postMessage({ type: 'done', count: parsed.length, rejected } satisfies PosParseReply);
    parsed = [];
    rejected = [];
    return;
  }
  const transactions = parsed.slice(sent, sent + batchSize);
  sent += transactions.length;
  port?.postMessage({ type: 'batch', transactions } satisfies PosParseReply);
}

port.on('message', (request: PosParseRequest) => {
  if (request.type === 'next') return sendNext();
  try {
    const document = parsePosDocument(request.format, new TextDecoder().decode(request.bytes));
    parsed = document.transactions.map((tx) => preparePosTransaction(tx, request.rules));
    rejected = document.rejected;
    sent = 0;
    batchSize = request.batchSize;
    sendNext();
  } catch (error) {
    parsed = [];
    rejected = [];
    port.postMessage(failure(error));
  }
});
