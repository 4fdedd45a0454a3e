import type { Knex } from 'knex';
import { newId } from '../../contracts/index.js';
import { AuditHead, AuditRecord } from '../../models/index.js';
import { GENESIS_HASH, hashAuditRecord, type AuditFields } from './chain.js';

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

/**
 * Appends records to the tenant's hash chain inside the caller's transaction. The head row is locked
 * (FOR UPDATE) so concurrent writers of one tenant serialise and the chain never forks.
 */
export async function writeAudit(ctx: CommandContext, entries: AuditEntry | AuditEntry[]): Promise<AuditRecord[]> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length === 0) return [];
  const { trx, tenantId } = ctx;
  // One statement creates the head on first use and locks it (the no-op update takes the row lock),
  // so concurrent writers of one tenant queue here and the chain never forks. It runs last in a command,
  // keeping the lock's hold time to the audit insert and the commit.
  const { rows: heads } = await trx.raw<{ rows: Array<{ seq: number; hash: string }> }>(
    'INSERT INTO audit_heads (tenant_id, seq, hash) VALUES (?, 0, ?) ON CONFLICT (tenant_id) DO UPDATE SET seq = audit_heads.seq RETURNING seq, hash',
    [tenantId, GENESIS_HASH],
  );
  const head = heads[0];
  if (!head) throw new Error(`audit head for ${tenantId} could not be locked`);
  let seq = Number(head.seq);
  let prevHash = head.hash;
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
    const hash = hashAuditRecord(prevHash, fields);
    const row = { ...fields, prevHash, hash };
    prevHash = hash;
    return row;
  });
  const inserted = await AuditRecord.query(trx).insert(rows.map((r) => ({ ...r, before: r.before, after: r.after })));
  await AuditHead.query(trx).patch({ seq, hash: prevHash }).where('tenant_id', tenantId);
  return inserted;
}
