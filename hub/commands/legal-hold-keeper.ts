import { AppError, newId, type EvidenceStore } from '../../contracts/index.js';
import { EvidenceHold, EvidenceItem } from '../../models/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';
import { nowOf } from './clock.js';

export interface HoldTarget {
  targetType: 'incident' | 'item';
  targetId: string;
  reason: string;
}

const subjectTypeOf = (targetType: HoldTarget['targetType']): string => (targetType === 'incident' ? 'Incident' : 'EvidenceItem');

function itemsUnder(ctx: CommandContext, targetType: HoldTarget['targetType'], targetId: string) {
  return EvidenceItem.forTenant(ctx.trx, ctx.tenantId).where(targetType === 'incident' ? 'evidence_items.incident_id' : 'evidence_items.id', targetId);
}

const activeHolds = (ctx: CommandContext) => EvidenceHold.forTenant(ctx.trx, ctx.tenantId).whereNull('evidence_holds.released_at');

/**
 * Places a legal hold (idempotent: an active hold on the same target is returned as is). The database row is
 * what every deletion path checks; the storage-level lock (S3 Object Lock) is a second guard where available.
 */
export async function placeHold(ctx: CommandContext, store: EvidenceStore, target: HoldTarget): Promise<EvidenceHold> {
  const active = await activeHolds(ctx).findOne({ target_type: target.targetType, target_id: target.targetId });
  if (active) return active;
  const now = nowOf(ctx);
  const hold = await EvidenceHold.query(ctx.trx).insertAndFetch({
    tenantId: ctx.tenantId, id: newId('hold', now.getTime()), targetType: target.targetType, targetId: target.targetId, reason: target.reason, placedBy: ctx.actor.id, placedAt: now,
  });
  const storage: Record<string, string> = {};
  for (const item of await itemsUnder(ctx, target.targetType, target.targetId)) storage[item.id] = await store.setLegalHold(item.storageKey, true);
  await writeAudit(ctx, { action: 'evidence.hold_placed', subjectType: subjectTypeOf(target.targetType), subjectId: target.targetId, after: { holdId: hold.id, reason: target.reason, storage } });
  return hold;
}

/** Releases a hold; the storage lock is lifted only where no other active hold still covers the item. */
export async function releaseHold(ctx: CommandContext, store: EvidenceStore, holdId: string): Promise<EvidenceHold> {
  const hold = await EvidenceHold.forTenant(ctx.trx, ctx.tenantId).findOne('evidence_holds.id', holdId).forUpdate();
  if (!hold) throw new AppError('not_found', 'legal hold not found');
  if (hold.releasedAt) throw new AppError('conflict', 'this legal hold was already released');
  const now = nowOf(ctx);
  const released = await EvidenceHold.query(ctx.trx).patchAndFetchById([ctx.tenantId, hold.id], { releasedBy: ctx.actor.id, releasedAt: now });
  for (const item of await itemsUnder(ctx, hold.targetType, hold.targetId)) {
    const other = await activeHolds(ctx)
      .where((q) => void q.where({ target_type: 'item', target_id: item.id }).orWhere({ target_type: 'incident', target_id: item.incidentId ?? '' }))
      .first();
    if (!other) await store.setLegalHold(item.storageKey, false);
  }
  await writeAudit(ctx, {
    action: 'evidence.hold_released', subjectType: subjectTypeOf(hold.targetType), subjectId: hold.targetId,
    before: { holdId: hold.id, reason: hold.reason }, after: { releasedAt: now.toISOString() },
  });
  return released;
}
