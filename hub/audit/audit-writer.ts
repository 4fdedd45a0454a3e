import type { Knex } from 'knex';
import { AppError, newId } from '../../contracts/index.js';
import { AuditRecord } from '../../models/index.js';
import { GENESIS_HASH, MAC_ALG, macAuditRecord, type AuditFields } from './chain.js';
import { auditKeysFor } from './keyring-binding.js';

export interface Actor {
  type: 'user' | 'service' | 'system' | 'token';
  id: string;
}

/** What every command receives: who acts, for which tenant, in which request and transaction. */
export interface CommandContext {
  actor: Actor;
  tenantId: string;
  /** The environment the command acts in, for commands that open transactions of their own (production unless named). */
  environment?: string;
  requestId: string | null;
  clientAddress: string | null;
  trx: Knex.Transaction;
  now?: () => Date;
}

export interface AuditEntry {
  action: string;
  subjectType: string;
  subjectId: string;
  before?: unknown;
  after?: unknown;
}

/** How many chains a tenant's audit trail may spread over under concurrent writers. */
export const AUDIT_SHARDS = 16;

interface ChainTail {
  shard: number;
  seq: number | null;
  hash: string | null;
}

/** The statement that takes a shard of the tenant's chain for this transaction and reads its tail (see writeAudit). */
export const AUDIT_TAIL_SQL = 'SELECT shard, seq, hash FROM audit_shard_tail(?, ?)';
export const auditTailBindings = (tenantId: string): [string, number] => [tenantId, AUDIT_SHARDS];

/**
 * The tail of the shard each transaction holds. The shard's lock is held until commit, so nobody else
 * extends it meanwhile: once known, a transaction's later appends need no read. Keyed by the transaction
 * object, so it goes with it.
 */
const heldTails = new WeakMap<Knex.Transaction, { shard: number; seq: number; hash: string }>();

function tailOf(row: ChainTail | undefined): { shard: number; seq: number; hash: string } {
  return { shard: Number(row?.shard ?? 0), seq: Number(row?.seq ?? 0), hash: row?.hash ?? GENESIS_HASH };
}

/**
 * For a command that read AUDIT_TAIL_SQL as part of a statement of its own (to save a round trip): the
 * transaction now holds that shard, and writeAudit appends to it without reading again. A transaction
 * that appended before keeps the shard it wrote to (it holds that lock too).
 */
export function adoptAuditTail(trx: Knex.Transaction, row: unknown): void {
  if (!heldTails.has(trx)) heldTails.set(trx, tailOf(row as ChainTail | undefined));
}

/**
 * Appends records to one of the tenant's keyed chains inside the caller's transaction. The first append
 * of a transaction takes the lock of the lowest free shard of the tenant (a transaction-scoped advisory
 * lock, tried without waiting, so no row is updated and concurrent writers spread over shards instead of
 * queueing) and reads that shard's newest record; later appends of the same transaction go on from what
 * the last one wrote. A lone writer always gets shard 0. Each shard's chain never forks: its lock is held
 * until commit. The runtime role only ever INSERTs and SELECTs audit records. Callers run at READ
 * COMMITTED (every hub transaction does): the tail is read after the lock is granted.
 */
export async function writeAudit(ctx: CommandContext, entries: AuditEntry | AuditEntry[]): Promise<AuditRecord[]> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length === 0) return [];
  const { trx, tenantId } = ctx;
  let tail = heldTails.get(trx);
  if (!tail) {
    const { rows } = await trx.raw<{ rows: ChainTail[] }>(AUDIT_TAIL_SQL, auditTailBindings(tenantId));
    tail = tailOf(rows[0]);
  }
  const records = chainRecords(ctx, tail, list, auditKeysFor(trx).mac);
  const written = await AuditRecord.query(trx).insert(records);
  const last = records[records.length - 1];
  if (last) heldTails.set(trx, { shard: tail.shard, seq: last.seq, hash: last.hash });
  return written;
}

/**
 * writeAudit's records as one part of a statement of the caller's (`INSERT … RETURNING 1`, for a CTE that
 * writes the command's rows and its audit together, saving a round trip). The transaction must already hold
 * its shard (adoptAuditTail or an earlier append); the records are chained from that tail, and later
 * appends go on from them.
 */
export function auditInsertPart(ctx: CommandContext, entries: AuditEntry[]): { sql: string; bindings: readonly Knex.RawBinding[] } | null {
  if (entries.length === 0) return null;
  const tail = heldTails.get(ctx.trx);
  if (!tail) throw new AppError('internal', 'an audit part needs the shard its transaction holds (adoptAuditTail)');
  const records = chainRecords(ctx, tail, entries, auditKeysFor(ctx.trx).mac);
  const last = records[records.length - 1];
  if (last) heldTails.set(ctx.trx, { shard: tail.shard, seq: last.seq, hash: last.hash });
  const { sql, bindings } = AuditRecord.query(ctx.trx).insert(records).toKnexQuery().toSQL();
  return { sql: `${sql.replace(/ returning .*$/i, '')} RETURNING 1`, bindings };
}

/** The records that extend a shard's chain from its tail: numbered on from its seq, each MAC keyed over the previous one. */
export function chainRecords(
  ctx: Pick<CommandContext, 'actor' | 'tenantId' | 'requestId' | 'clientAddress' | 'now'>,
  tail: { shard: number; seq: number; hash: string },
  list: AuditEntry[],
  mac: { id: string; secret: Buffer },
): Array<AuditFields & { prevHash: string; hash: string; macAlg: string; keyId: string }> {
  let seq = tail.seq;
  let prevHash = tail.hash;
  const occurredAt = new Date((ctx.now ?? (() => new Date()))().getTime());
  return list.map((entry) => {
    seq += 1;
    const fields: AuditFields = {
      tenantId: ctx.tenantId,
      shard: tail.shard,
      seq,
      id: newId('audit', occurredAt.getTime()),
      occurredAt,
      actorType: ctx.actor.type,
      actorId: ctx.actor.id,
      action: entry.action,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId,
      before: entry.before ?? null,
      after: entry.after ?? null,
      requestId: ctx.requestId,
      clientAddress: ctx.clientAddress,
    };
    const hash = macAuditRecord(mac.secret, mac.id, prevHash, fields);
    const row = { ...fields, prevHash, hash, macAlg: MAC_ALG, keyId: mac.id };
    prevHash = hash;
    return row;
  });
}
