import { AppError } from '../../contracts/index.js';
import { detectExceptions } from './exceptions.js';
import { parsePosLog } from './poslog-parser.js';
import { posBatchSchema, type PosException, type PosTransaction } from './types.js';

export type PosFormat = 'xml' | 'json';

/** The upload's format from its media type, or undefined when it is neither POSLog XML nor the JSON form. */
export function posFormatOf(contentType: string): PosFormat | undefined {
  if (/^(application|text)\/([a-z0-9.+-]*\+)?xml\b/i.test(contentType)) return 'xml';
  if (/^(application|text)\/([a-z0-9.+-]*\+)?json\b/i.test(contentType)) return 'json';
  return undefined;
}

/** Parses a POS upload, ARTS POSLog XML or the JSON form, into normalised transactions; bad input is a 4xx AppError. */
export function parsePosDocument(format: PosFormat, text: string): PosTransaction[] {
  if (text.trim() === '') throw new AppError('bad_request', 'the request body is empty');
  if (format === 'xml') return parsePosLog(text);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new AppError('malformed_json', `the request body is not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  const parsed = posBatchSchema.safeParse(json);
  if (parsed.success) return parsed.data.transactions;
  const issue = parsed.error.issues[0];
  throw new AppError('validation_failed', `body.${issue?.path.join('.')}: ${issue?.message}`, { details: { issues: parsed.error.issues.slice(0, 20) } });
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

export function preparePosTransaction(tx: PosTransaction): PreparedPosTransaction {
  const { lineItems, raw, ...rest } = tx;
  return { ...rest, lineItemsJson: JSON.stringify(lineItems), rawJson: JSON.stringify(raw ?? null), exceptions: detectExceptions(tx) };
}
