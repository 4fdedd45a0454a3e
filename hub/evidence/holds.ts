import { AppError, newId, type EvidenceStore } from '../../contracts/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';
import type { EvidenceItemRow } from './rows.js';

export interface HoldRow {
  tenant_id: string;
  id: string;
  target_type: 'incident' | 'item';
  target_id: string;
  reason: string;
  placed_by: string;
  placed_at: Date;
  released_by: string | null;
  released_at: Date | null;
}

async function itemsUnder(ctx: CommandContext, targetType: 'incident' | 'item', targetId: string): Promise<EvidenceItemRow[]> {
  const column = targetType === 'incident' ? 'incident_id' : 'id';
  return ctx.trx<EvidenceItemRow>('evidence_items').where({ tenant_id: ctx.tenantId, [column]: targetId });
}

/**
 * Places a legal hold (idempotent: an active hold on the same target is returned as is). The database row is
 * what every deletion path checks; the storage-level lock (S3 Object Lock) is a second guard where available.
 */
export async function placeHold(ctx: CommandContext, store: EvidenceStore, target: { targetType: 'incident' | 'item'; targetId: string; reason: string }): Promise<HoldRow> {
  const active = await ctx.trx<HoldRow>('evidence_holds').where({ tenant_id: ctx.tenantId, target_type: target.targetType, target_id: target.targetId }).whereNull('released_at').first();
  if (active) return active;
  const now = (ctx.now ?? (() => new Date()))();
  const rows = await ctx.trx<HoldRow>('evidence_holds').insert({
    tenant_id: ctx.tenantId, id: newId('hold'), target_type: target.targetType, target_id: target.targetId, reason: target.reason, placed_by: ctx.actor.id, placed_at: now,
  }).returning('*');
  const hold = rows[0] as HoldRow;
  const storage: Record<string, string> = {};
  for (const item of await itemsUnder(ctx, target.targetType, target.targetId)) storage[item.id] = await store.setLegalHold(item.storage_key, true);
  await writeAudit(ctx, {
    action: 'evidence.hold_placed', subjectType: target.targetType === 'incident' ? 'Incident' : 'EvidenceItem', subjectId: target.targetId,
    after: { holdId: hold.id, reason: target.reason, storage },
  });
  return hold;
}

export async function releaseHold(ctx: CommandContext, store: EvidenceStore, holdId: string): Promise<HoldRow> {
  const hold = await ctx.trx<HoldRow>('evidence_holds').where({ tenant_id: ctx.tenantId, id: holdId }).forUpdate().first();
  if (!hold) throw new AppError('not_found', 'legal hold not found');
  if (hold.released_at) throw new AppError('conflict', 'this legal hold was already released');
  const now = (ctx.now ?? (() => new Date()))();
  const rows = await ctx.trx<HoldRow>('evidence_holds').where({ tenant_id: ctx.tenantId, id: holdId }).update({ released_by: ctx.actor.id, released_at: now }).returning('*');
  // Lift the storage lock only where no other active hold still covers the item.
  for (const item of await itemsUnder(ctx, hold.target_type, hold.target_id)) {
    const other = await ctx.trx('evidence_holds').where({ tenant_id: ctx.tenantId }).whereNull('released_at')
      .where((qb) => void qb.where({ target_type: 'item', target_id: item.id }).orWhere({ target_type: 'incident', target_id: item.incident_id ?? '' })).first('id');
    if (!other) await store.setLegalHold(item.storage_key, false);
  }
  await writeAudit(ctx, {
    action: 'evidence.hold_released', subjectType: hold.target_type === 'incident' ? 'Incident' : 'EvidenceItem', subjectId: hold.target_id,
    before: { holdId: hold.id, reason: hold.reason }, after: { releasedAt: now.toISOString() },
  });
  return rows[0] as HoldRow;
}
