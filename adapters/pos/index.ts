export { parsePosLog, ARTS_NAMESPACE, MAX_POSLOG_DEPTH } from './poslog-parser.js';
export { parsePosDocument, posFormatOf, preparePosTransaction, type PosFormat, type PreparedPosTransaction } from './pos-document.js';
export { PosParsePool, type PosParsePoolOptions } from './pos-parse-pool.js';
export { detectExceptions } from './exceptions.js';
export {
  DEFAULT_EXCEPTION_RULES, POS_EXCEPTIONS, exceptionRulesSchema, posBatchSchema, posEnvelopeSchema, posLineItemSchema, posTransactionSchema,
  type ExceptionRules, type PosDocument, type PosException, type PosLineItem, type PosRejection, type PosTransaction,
} from './types.js';
