import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

export const GENESIS_HASH = '0'.repeat(64);
/** The MAC of every record written since migration 20261125000500; `sha256` marks the earlier, unkeyed chain. */
export const MAC_ALG = 'hmac-sha256';
export const LEGACY_ALG = 'sha256';

/** The fields of an audit record that its MAC covers (everything but the hashes themselves). */
export interface AuditFields {
  tenantId: string;
  /** Which of the tenant's chains the record belongs to; 0 for a quiet tenant and every record before shards. */
  shard: number;
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

function coveredBody(fields: AuditFields): Record<string, unknown> {
  // Pick the covered fields by name: a stored row carries more (its hashes, ORM internals). The shard is
  // covered from shard 1 on; shard 0 records hash as every record did before shards, so old chains verify.
  const shard = Number(fields.shard ?? 0);
  return {
    tenantId: fields.tenantId,
    ...(shard === 0 ? {} : { shard }),
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
}

/** The unkeyed chain: SHA-256(previous hash + "\n" + canonical JSON of the record). Anyone can recompute it. */
export function hashAuditRecord(prevHash: string, fields: AuditFields): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(coveredBody(fields))).digest('hex');
}

/**
 * The keyed chain: HMAC-SHA256 under a key held outside the database, over the previous MAC and the
 * record (its key id included, so a record cannot be moved to another key). Without the key nobody can
 * produce a record that verifies, so a rewrite by a database administrator is detected.
 */
export function macAuditRecord(secret: Buffer, keyId: string, prevHash: string, fields: AuditFields): string {
  const body = canonicalJson({ ...coveredBody(fields), macAlg: MAC_ALG, keyId });
  return createHmac('sha256', secret).update(prevHash).update('\n').update(body).digest('hex');
}

export interface StoredAuditRecord extends AuditFields {
  prevHash: string;
  hash: string;
  macAlg: string;
  keyId: string | null;
}

export type ChainProblemKind =
  | 'edited' | 'deleted' | 'inserted_or_reordered' | 'rehashed' | 'unknown_key'
  | 'truncated' | 'wiped' | 'checkpoint_mismatch' | 'checkpoint_invalid';

export interface ChainProblem {
  kind: ChainProblemKind;
  /** The tenant's chain the problem is in (set by the verifier; 0 when the tenant has one chain). */
  shard?: number;
  seq: number;
  id: string;
  message: string;
}

type MacVerdict = 'ok' | 'plain' | 'bad' | 'unknown_key';

const sameHex = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function macVerdict(record: StoredAuditRecord, macKeys: ReadonlyMap<string, Buffer>): MacVerdict {
  if (record.macAlg !== MAC_ALG) return sameHex(hashAuditRecord(record.prevHash, record), record.hash) ? 'plain' : 'bad';
  const secret = record.keyId ? macKeys.get(record.keyId) : undefined;
  if (!secret || !record.keyId) return 'unknown_key';
  if (sameHex(macAuditRecord(secret, record.keyId, record.prevHash, record), record.hash)) return 'ok';
  return sameHex(hashAuditRecord(record.prevHash, record), record.hash) ? 'plain' : 'bad';
}

/** Tells one edited record from a chain recomputed from some record on (every later MAC fails too). */
function macProblem(first: StoredAuditRecord, verdict: MacVerdict, failing: number, recovered: boolean, lastSeq: number): ChainProblem {
  const at = `record ${first.seq} (${first.id})`;
  if (verdict === 'plain') {
    return { kind: 'rehashed', seq: first.seq, id: first.id, message: `${at} onward carry plain SHA-256 hashes, not the keyed MAC: the chain was re-hashed without the HMAC key (or predates keyed chains)` };
  }
  if (verdict === 'unknown_key') {
    return { kind: 'unknown_key', seq: first.seq, id: first.id, message: `${at} is keyed with ${first.keyId ?? '(none)'}, which is not one of this hub's audit keys: re-keyed by someone else, or written by a process without the configured key` };
  }
  if (failing >= 2 && !recovered) {
    return { kind: 'rehashed', seq: first.seq, id: first.id, message: `records ${first.seq}..${lastSeq} (${failing}) link to each other but none matches its MAC: the chain was re-hashed from ${at} without the HMAC key` };
  }
  return { kind: 'edited', seq: first.seq, id: first.id, message: `${at} was edited: its content no longer matches its MAC` };
}

export interface ChainWalk {
  problem: ChainProblem | null;
  records: number;
  last: { seq: number; hash: string; id: string } | null;
  /** The stored hash of each record whose seq was asked for (checkpoints). */
  hashesAt: Map<number, string>;
}

/**
 * Walks one chain's records (a tenant's shard) in `seq` order and names the first problem: a gap in seq means a deletion,
 * a prev_hash that does not match the previous record's hash an insertion or reordering, a MAC that does
 * not cover the record an edit, and MACs failing from one record to the end a re-hash.
 */
export function walkChain(records: Iterable<StoredAuditRecord>, macKeys: ReadonlyMap<string, Buffer>, watchSeqs: ReadonlySet<number> = new Set()): ChainWalk {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let last: ChainWalk['last'] = null;
  let firstBad: { record: StoredAuditRecord; verdict: MacVerdict } | null = null;
  let failing = 0;
  let recovered = false;
  const hashesAt = new Map<number, string>();
  const result = (problem: ChainProblem | null): ChainWalk => ({ problem, records: expectedSeq - 1, last, hashesAt });
  const pendingMacProblem = () => (firstBad ? macProblem(firstBad.record, firstBad.verdict, failing, recovered, last?.seq ?? 0) : null);
  for (const record of records) {
    if (record.seq !== expectedSeq) {
      const kind = record.seq > expectedSeq ? 'deleted' : 'inserted_or_reordered';
      return result(pendingMacProblem() ?? { kind, seq: record.seq, id: record.id, message: `expected seq ${expectedSeq}, found ${record.seq} (${record.id}): record(s) ${kind === 'deleted' ? 'missing before it' : 'out of order'}` });
    }
    if (record.prevHash !== prevHash) {
      return result(pendingMacProblem() ?? { kind: 'inserted_or_reordered', seq: record.seq, id: record.id, message: `record ${record.seq} (${record.id}) does not follow the previous record's hash` });
    }
    const verdict = macVerdict(record, macKeys);
    if (verdict !== 'ok') {
      failing += 1;
      firstBad ??= { record, verdict };
    } else if (firstBad) recovered = true;
    if (watchSeqs.has(record.seq)) hashesAt.set(record.seq, record.hash);
    prevHash = record.hash;
    expectedSeq += 1;
    last = { seq: record.seq, hash: record.hash, id: record.id };
  }
  return result(pendingMacProblem());
}

/** The first problem of a chain on its own (no checkpoints). */
export function findFirstBreak(records: Iterable<StoredAuditRecord>, macKeys: ReadonlyMap<string, Buffer>): ChainProblem | null {
  return walkChain(records, macKeys).problem;
}
