import type { Knex } from 'knex';
import { newId } from '../../contracts/index.js';
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

interface ChainTail {
  seq: number | null;
  hash: string | null;
}

/**
 * Appends records to the tenant's keyed chain inside the caller's transaction, in two statements: one
 * takes the tenant's chain lock (a transaction-scoped advisory lock, so no row is updated) and reads the
 * newest record; one inserts the batch. The runtime role only ever INSERTs and SELECTs audit records.
 * Concurrent writers of one tenant queue on the lock until commit, so the chain never forks; the lock is
 * taken last in a command, keeping its hold time to the insert and the commit. Callers run at READ
 * COMMITTED (every hub transaction does): the tail is read after the lock is granted.
 */
export async function writeAudit(ctx: CommandContext, entries: AuditEntry | AuditEntry[]): Promise<AuditRecord[]> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length === 0) return [];
  const { trx, tenantId } = ctx;
  const { mac } = auditKeysFor(trx);
  const { rows: tails } = await trx.raw<{ rows: ChainTail[] }>('SELECT seq, hash FROM audit_chain_tail(?)', [tenantId]);
  let seq = Number(tails[0]?.seq ?? 0);
  let prevHash = tails[0]?.hash ?? GENESIS_HASH;
  const occurredAt = new Date((ctx.now ?? (() => new Date()))().getTime());
  const rows = list.map((entry) => {
    seq += 1;
    const fields: AuditFields = {
      tenantId,
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
  return AuditRecord.query(trx).insert(rows);
}
