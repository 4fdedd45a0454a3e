export { parsePosLog, ARTS_NAMESPACE } from './poslog-parser.js';
export { detectExceptions } from './exceptions.js';
export { POS_EXCEPTIONS, posBatchSchema, posTransactionSchema, type PosException, type PosLineItem, type PosTransaction } from './types.js';
