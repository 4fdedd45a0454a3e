import type { Knex } from 'knex';
import { renditionsOf, tenantTransaction } from '../evidence/index.js';
import { scanItems, tenantPolicies, type ScannedItem } from './candidates.js';
import { environmentScopes } from '../../models/index.js';
import { exportsHolding } from './export-purger.js';
import { planLinkSweep, type LinkSweep } from './link-sweeper.js';

export interface PlannedPurge extends ScannedItem {
  /** What the purge would do with it and why, in words. */
  verdict: 'purge' | 'held';
  reason: string;
  /** Exports holding a copy of the item: a purge removes them with it. */
  exports: string[];
  /** Storage keys of the item's redacted renditions: a purge removes them with it. */
  renditions: string[];
}

/** The dead links of a tenant that a purge at that time sweeps. */
export interface PlannedLinkSweep extends LinkSweep {
  tenantId: string;
  environment: string;
}

async function attachExports(knex: Knex, planned: PlannedPurge[]): Promise<void> {
  const byScope = new Map<string, PlannedPurge[]>();
  for (const p of planned) byScope.set(`${p.tenantId}/${p.environment}`, [...(byScope.get(`${p.tenantId}/${p.environment}`) ?? []), p]);
  for (const items of byScope.values()) {
    const first = items[0];
    if (!first) continue;
    const { tenantId, environment } = first;
    await tenantTransaction(knex, { tenantId, environment }, async (trx) => {
      const holding = await exportsHolding(trx, tenantId, items.map((i) => i.id));
      for (const item of items) {
        item.exports = (holding.get(item.id) ?? []).map((e) => e.id);
        item.renditions = (await renditionsOf(trx, { tenant_id: tenantId, id: item.id })).map((r) => r.storageKey);
      }
    });
  }
}

/** What a purge at `now` would delete, with the exports and renditions that go with each item (and what it would keep only because of a legal hold), read-only. */
export async function planRetention(knex: Knex, options: { now?: Date; tenantId?: string; limit?: number } = {}): Promise<PlannedPurge[]> {
  const now = options.now ?? new Date();
  const limit = options.limit ?? 10_000;
  const planned: PlannedPurge[] = [];
  for (const scope of await environmentScopes(knex, options.tenantId)) {
    const { tenantId } = scope;
    const policies = await tenantTransaction(knex, scope, (trx) => tenantPolicies(trx, tenantId));
    let afterId: string | undefined;
    while (planned.length < limit) {
      const page = await tenantTransaction(knex, scope, (trx) => scanItems(trx, tenantId, policies, { afterId, limit: 500 }));
      for (const item of page) {
        if (item.expiresAt > now) continue;
        const rule = `${item.outcome}, kept ${item.keepDays} days (${item.policy === 'default' ? 'default' : `policy ${item.policy}`}), due ${item.expiresAt.toISOString()}`;
        planned.push({ ...item, verdict: item.held ? 'held' : 'purge', reason: item.held ? `${rule}; under legal hold` : rule, exports: [], renditions: [] });
      }
      if (page.length < 500) break;
      afterId = page[page.length - 1]?.id;
    }
  }
  const kept = planned.slice(0, limit);
  await attachExports(knex, kept);
  return kept;
}

/** The dead links a purge at `now` would sweep, per tenant (tenants with none left out), read-only. */
export async function planLinkSweeps(knex: Knex, options: { now?: Date; tenantId?: string } = {}): Promise<PlannedLinkSweep[]> {
  const now = options.now ?? new Date();
  const planned: PlannedLinkSweep[] = [];
  for (const scope of await environmentScopes(knex, options.tenantId)) {
    const sweep = await tenantTransaction(knex, scope, (trx) => planLinkSweep(trx, scope.tenantId, now));
    if (sweep.expired + sweep.revoked > 0) planned.push({ tenantId: scope.tenantId, environment: scope.environment, ...sweep });
  }
  return planned;
}
