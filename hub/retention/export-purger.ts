import type { Knex } from 'knex';
import type { AppError, EvidenceStore } from '../../contracts/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';

export interface ExportOfItem {
  id: string;
  incidentId: string;
  storageKey: string;
  bytes: number;
}

/** The exports that hold any of `itemIds` (their bundles carry copies of the items). */
export async function exportsHolding(db: Knex | Knex.Transaction, tenantId: string, itemIds: string[]): Promise<Map<string, ExportOfItem[]>> {
  const byItem = new Map<string, ExportOfItem[]>();
  if (itemIds.length === 0) return byItem;
  const rows = await db('evidence_export_items as x')
    .join('evidence_exports as e', (j) => void j.on('e.tenant_id', 'x.tenant_id').andOn('e.id', 'x.export_id'))
    .where('x.tenant_id', tenantId).whereIn('x.item_id', itemIds).orderBy('e.id')
    .select<Array<{ item_id: string; id: string; incident_id: string; storage_key: string; bytes: number | string }>>('x.item_id', 'e.id', 'e.incident_id', 'e.storage_key', 'e.bytes');
  for (const r of rows) byItem.set(r.item_id, [...(byItem.get(r.item_id) ?? []), { id: r.id, incidentId: r.incident_id, storageKey: r.storage_key, bytes: Number(r.bytes) }]);
  return byItem;
}

/**
 * Removes every export that holds a purged item: its bundle from storage, its row (so its links answer
 * 404), audited as `evidence.export_purged`. Storage first, like items: a crash before the commit leaves
 * the row, and the next purge deletes the (already missing) object again and finishes.
 */
export async function purgeExportsHolding(ctx: CommandContext, store: EvidenceStore, itemId: string, reason: string): Promise<number> {
  const exports = (await exportsHolding(ctx.trx, ctx.tenantId, [itemId])).get(itemId) ?? [];
  let purged = 0;
  for (const exp of exports) {
    try {
      await store.delete(exp.storageKey);
    } catch (error) {
      if ((error as AppError).code === 'legal_hold') continue;
      throw error;
    }
    await ctx.trx('evidence_export_items').where({ tenant_id: ctx.tenantId, export_id: exp.id }).delete();
    await ctx.trx('evidence_exports').where({ tenant_id: ctx.tenantId, id: exp.id }).delete();
    await writeAudit(ctx, {
      action: 'evidence.export_purged', subjectType: 'EvidenceExport', subjectId: exp.id,
      before: { incidentId: exp.incidentId, bytes: exp.bytes }, after: { reason, purgedItemId: itemId },
    });
    purged += 1;
  }
  return purged;
}
