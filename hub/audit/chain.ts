import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit record that its hash covers (everything but the hashes themselves). */
export interface AuditFields {
  tenantId: string;
  seq: number;
  id: string;
  occurredAt: Date;
  actorType: string;
  actorId: string;
  action: string;
  subjectType: string;
  subjectId: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
  clientAddress: string | null;
}

/** hash = SHA-256(previous hash + "\n" + canonical JSON of the record). */
export function hashAuditRecord(prevHash: string, fields: AuditFields): string {
  // Pick the covered fields by name: a stored row carries more (its hashes, ORM internals).
  const covered = {
    tenantId: fields.tenantId,
    seq: fields.seq,
    id: fields.id,
    occurredAt: fields.occurredAt,
    actorType: fields.actorType,
    actorId: fields.actorId,
    action: fields.action,
    subjectType: fields.subjectType,
    subjectId: fields.subjectId,
    before: fields.before ?? null,
    after: fields.after ?? null,
    requestId: fields.requestId ?? null,
    clientAddress: fields.clientAddress ?? null,
  };
  const body = canonicalJson(covered);
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export interface StoredAuditRecord extends AuditFields {
  prevHash: string;
  hash: string;
}

export type ChainProblem =
  | { kind: 'edited'; seq: number; id: string; message: string }
  | { kind: 'deleted'; seq: number; id: string; message: string }
  | { kind: 'inserted_or_reordered'; seq: number; id: string; message: string }
  | { kind: 'head_mismatch'; seq: number; id: string; message: string };

/**
 * Walks one tenant's records in `seq` order and names the first record that breaks the chain:
 * a gap in seq means a deletion, a prev_hash that does not match the previous record's hash means an
 * insertion or reordering, a hash that does not cover the record's own content means an edit.
 */
export function findFirstBreak(records: Iterable<StoredAuditRecord>, head?: { seq: number; hash: string }): ChainProblem | null {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let last: StoredAuditRecord | undefined;
  for (const record of records) {
    if (record.seq !== expectedSeq) {
      const kind = record.seq > expectedSeq ? 'deleted' : 'inserted_or_reordered';
      return { kind, seq: record.seq, id: record.id, message: `expected seq ${expectedSeq}, found ${record.seq} (${record.id}): record(s) ${kind === 'deleted' ? 'missing before it' : 'out of order'}` };
    }
    if (record.prevHash !== prevHash) {
      return { kind: 'inserted_or_reordered', seq: record.seq, id: record.id, message: `record ${record.seq} (${record.id}) does not follow the previous record's hash` };
    }
    if (hashAuditRecord(record.prevHash, record) !== record.hash) {
      return { kind: 'edited', seq: record.seq, id: record.id, message: `record ${record.seq} (${record.id}) was edited: its content no longer matches its hash` };
    }
    prevHash = record.hash;
    expectedSeq += 1;
    last = record;
  }
  if (head && (head.seq !== (last?.seq ?? 0) || head.hash !== (last?.hash ?? GENESIS_HASH))) {
    const seq = last?.seq ?? 0;
    return { kind: head.seq > seq ? 'deleted' : 'head_mismatch', seq, id: last?.id ?? '', message: `chain ends at seq ${seq} but the head says ${head.seq}: the newest record(s) were removed or the head was altered` };
  }
  return null;
}
