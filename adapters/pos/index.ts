export { parsePosLog, ARTS_NAMESPACE, MAX_POSLOG_DEPTH } from './poslog-parser.js';
export { parsePosDocument, posFormatOf, preparePosTransaction, type PosFormat, type PreparedPosTransaction } from './pos-document.js';
export { PosParsePool, type PosParsePoolOptions } from './pos-parse-pool.js';
export { detectExceptions } from './exceptions.js';
export { POS_EXCEPTIONS, posBatchSchema, posTransactionSchema, type PosException, type PosLineItem, type PosTransaction } from './types.js';
