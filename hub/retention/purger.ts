import type { Knex } from 'knex';
import type { AppError, EvidenceStore } from '../../contracts/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';
import { renditionsOf, tenantTransaction } from '../evidence/index.js';
import { scanItems, tenantPolicies, type ScannedItem } from './candidates.js';
import { environmentScopes } from '../../models/index.js';
import { purgeExportsHolding } from './export-purger.js';
import { sweepLinks } from './link-sweeper.js';

export interface PurgeReport {
  purged: number;
  bytes: number;
  held: number;
  /** Export bundles removed because they held a purged item. */
  exports: number;
  /** Redacted renditions of the purged items removed with them. */
  renditions: number;
  /** Dead evidence links swept: past their expiry, or issued by a revoked token or an ended session. */
  links: number;
}

const systemActor = { type: 'system' as const, id: 'retention' };

/**
 * Deletes one item from storage and the database with its audit record, inside the caller's transaction,
 * with every export bundle holding a copy of it and its redacted renditions. Storage goes first: if the
 * process dies before the commit, the row (and its audit) are still there and the
 * next run deletes the (already missing) object again and finishes, so a purge is never lost or doubled.
 */
export async function purgeItem(ctx: CommandContext, store: EvidenceStore, item: ScannedItem, reason: 'retention' | 'disk_pressure'): Promise<{ exports: number; renditions: number } | null> {
  try {
    await store.delete(item.storageKey);
  } catch (error) {
    // The storage-level lock disagrees with the database (a hold placed outside the hub): keep the item.
    if ((error as AppError).code === 'legal_hold') return null;
    throw error;
  }
  // Its redacted renditions (one per redaction plan) are copies of it too.
  const renditions = await renditionsOf(ctx.trx, { tenant_id: item.tenantId, id: item.id });
  for (const rendition of renditions) await store.delete(rendition.storageKey);
  await ctx.trx('evidence_renditions').where({ tenant_id: item.tenantId, item_id: item.id }).delete();
  await ctx.trx('evidence_items').where({ tenant_id: item.tenantId, id: item.id }).delete();
  await ctx.trx('evidence_fixity').where({ tenant_id: item.tenantId, item_id: item.id }).delete();
  await writeAudit(ctx, {
    action: 'evidence.purged', subjectType: 'EvidenceItem', subjectId: item.id,
    before: { kind: item.kind, bytes: item.bytes, sha256: item.sha256, incidentId: item.incidentId, renditions: renditions.map((r) => r.storageKey) },
    after: { reason, outcome: item.outcome, keepDays: item.keepDays, policy: item.policy, expiredAt: item.expiresAt.toISOString() },
  });
  // Copies of the item inside export bundles go with it.
  return { exports: await purgeExportsHolding(ctx, store, item.id, reason), renditions: renditions.length };
}

export interface PurgeOptions {
  now?: Date;
  tenantId?: string;
  batchSize?: number;
  signal?: AbortSignal;
}

/**
 * The retention purge: every tenant's expired, unheld items (with their renditions and the exports holding
 * them), a batch per transaction, then the tenant's dead links. Rows are claimed with
 * FOR UPDATE SKIP LOCKED, so several workers share the work; each batch commits on its own, so a stopped
 * purge resumes where it was.
 */
export async function purgeExpired(knex: Knex, store: EvidenceStore, options: PurgeOptions = {}): Promise<PurgeReport> {
  const now = options.now ?? new Date();
  const report: PurgeReport = { purged: 0, bytes: 0, held: 0, exports: 0, renditions: 0, links: 0 };
  // One environment at a time, as the runtime role: a production policy never purges staging evidence.
  for (const scope of await environmentScopes(knex, options.tenantId)) {
    const { tenantId, environment } = scope;
    const policies = await tenantTransaction(knex, scope, (trx) => tenantPolicies(trx, tenantId));
    let afterId: string | undefined;
    for (;;) {
      if (options.signal?.aborted) return report;
      const page = await tenantTransaction(knex, scope, async (trx) => {
        const items = await scanItems(trx, tenantId, policies, { afterId, limit: options.batchSize ?? 100, lock: true });
        const ctx: CommandContext = { actor: systemActor, tenantId, environment, requestId: null, clientAddress: null, trx, now: () => now };
        for (const item of items) {
          if (item.expiresAt > now) continue;
          if (item.held) {
            report.held += 1;
            continue;
          }
          const purged = await purgeItem(ctx, store, item, 'retention');
          if (purged) {
            report.purged += 1;
            report.bytes += item.bytes;
            report.exports += purged.exports;
            report.renditions += purged.renditions;
          }
        }
        return items;
      });
      if (page.length === 0) break;
      afterId = page[page.length - 1]?.id;
    }
    const swept = await tenantTransaction(knex, scope, (trx) => sweepLinks({ actor: systemActor, tenantId, environment, requestId: null, clientAddress: null, trx, now: () => now }, now));
    report.links += swept.expired + swept.revoked;
  }
  return report;
}
