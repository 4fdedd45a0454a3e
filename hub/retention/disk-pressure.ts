import type { Knex } from 'knex';
import type { EvidenceStore } from '../../contracts/index.js';
import type { CommandContext } from '../audit/index.js';
import { tenantTransaction } from '../evidence/index.js';
import { environmentScopes } from '../../models/index.js';
import { scanItems, tenantPolicies } from './candidates.js';
import { purgeItem, type PurgeReport } from './purger.js';

/**
 * When the evidence disk runs short, frees `bytesToFree` by deleting the oldest items first, whatever their
 * retention, but never an item under legal hold (held items are excluded in the query itself). Each deletion
 * is audited with reason `disk_pressure`.
 */
export async function sweepForDiskPressure(knex: Knex, store: EvidenceStore, options: { bytesToFree: number; now?: Date; batchSize?: number }): Promise<PurgeReport> {
  const now = options.now ?? new Date();
  const report: PurgeReport = { purged: 0, bytes: 0, held: 0, exports: 0, renditions: 0, links: 0 };
  const scopes = await environmentScopes(knex);
  while (report.bytes < options.bytesToFree) {
    // The oldest unheld item of each tenant's environment; the oldest of those goes next, so all are treated alike.
    const heads = [];
    for (const scope of scopes) {
      const [oldest] = await tenantTransaction(knex, scope, async (trx) => scanItems(trx, scope.tenantId, await tenantPolicies(trx, scope.tenantId), { limit: 1, oldestFirst: true, excludeHeld: true }));
      if (oldest) heads.push(oldest);
    }
    heads.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    const next = heads[0];
    if (!next) break;
    const purged = await tenantTransaction(knex, { tenantId: next.tenantId, environment: next.environment }, async (trx) => {
      const [locked] = await scanItems(trx, next.tenantId, [], { limit: 1, lock: true, excludeHeld: true, afterId: undefined, oldestFirst: true });
      if (!locked || locked.id !== next.id) return null;
      const ctx: CommandContext = { actor: { type: 'system', id: 'disk-pressure' }, tenantId: next.tenantId, environment: next.environment, requestId: null, clientAddress: null, trx, now: () => now };
      return purgeItem(ctx, store, next, 'disk_pressure');
    });
    if (!purged) break;
    report.exports += purged.exports;
    report.renditions += purged.renditions;
    report.purged += 1;
    report.bytes += next.bytes;
  }
  return report;
}
