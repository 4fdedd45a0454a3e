import { AppError } from '../../contracts/index.js';
import { detectExceptions } from './exceptions.js';
import { parsePosLog } from './poslog-parser.js';
import { DEFAULT_EXCEPTION_RULES, posEnvelopeSchema, posTransactionSchema, type ExceptionRules, type PosDocument, type PosException, type PosRejection, type PosTransaction } from './types.js';

export type PosFormat = 'xml' | 'json';

/** The upload's format from its media type, or undefined when it is neither POSLog XML nor the JSON form. */
export function posFormatOf(contentType: string): PosFormat | undefined {
  if (/^(application|text)\/([a-z0-9.+-]*\+)?xml\b/i.test(contentType)) return 'xml';
  if (/^(application|text)\/([a-z0-9.+-]*\+)?json\b/i.test(contentType)) return 'json';
  return undefined;
}

/**
 * Parses a POS upload, ARTS POSLog XML or the JSON form, into normalised transactions. A document that is
 * not POSLog or the JSON envelope at all is a 4xx AppError; a transaction invalid on its own is refused
 * alone (with its 1-based position) and the others are kept.
 */
export function parsePosDocument(format: PosFormat, text: string): PosDocument {
  if (text.trim() === '') throw new AppError('bad_request', 'the request body is empty');
  if (format === 'xml') return parsePosLog(text);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new AppError('malformed_json', `the request body is not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  const envelope = posEnvelopeSchema.safeParse(json);
  if (!envelope.success) {
    const issue = envelope.error.issues[0];
    throw new AppError('validation_failed', `body.${issue?.path.join('.')}: ${issue?.message}`, { details: { issues: envelope.error.issues.slice(0, 20) } });
  }
  const transactions: PosTransaction[] = [];
  const rejected: PosRejection[] = [];
  envelope.data.transactions.forEach((item, i) => {
    const parsed = posTransactionSchema.safeParse(item);
    if (parsed.success) transactions.push(parsed.data);
    else rejected.push(jsonRejection(item, i, parsed.error.issues[0]));
  });
  return { transactions, rejected };
}

function jsonRejection(item: unknown, i: number, issue: { path: PropertyKey[]; message: string } | undefined): PosRejection {
  const sequence = item !== null && typeof item === 'object' && 'sequenceNumber' in item ? item.sequenceNumber : undefined;
  const where = ['transactions', i, ...(issue?.path ?? [])].map(String).join('.');
  return {
    index: i + 1, ...(typeof sequence === 'string' && sequence.length > 0 ? { sequenceNumber: sequence.slice(0, 40) } : {}),
    code: 'validation_failed', message: `body.${where}: ${issue?.message ?? 'invalid transaction'}`,
  };
}

/**
 * A transaction ready to store: its line items and source record already serialised and its exceptions
 * found. The parse worker produces these so the main thread receives flat records (cheap to receive
 * and to collect) instead of 30,000 object trees.
 */
export type PreparedPosTransaction = Omit<PosTransaction, 'lineItems' | 'raw'> & {
  readonly lineItemsJson: string;
  readonly rawJson: string;
  readonly exceptions: PosException[];
};

export function preparePosTransaction(tx: PosTransaction, rules: ExceptionRules = DEFAULT_EXCEPTION_RULES): PreparedPosTransaction {
  const { lineItems, raw, ...rest } = tx;
  return { ...rest, lineItemsJson: JSON.stringify(lineItems), rawJson: JSON.stringify(raw ?? null), exceptions: detectExceptions(tx, rules) };
}
