export { writeAudit, type Actor, type AuditEntry, type CommandContext } from './audit-writer.js';
export { verifyAuditChains, type ChainReport } from './chain-verifier.js';
export { findFirstBreak, hashAuditRecord, GENESIS_HASH, type ChainProblem, type StoredAuditRecord } from './chain.js';
export { canonicalJson } from './canonical-json.js';
