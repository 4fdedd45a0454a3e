import type { Knex } from 'knex';
import { newId } from '../../contracts/index.js';
import { Region, Store, Tenant } from '../../models/index.js';
import { writeAudit } from '../audit/index.js';
import { inTenant } from '../auth/oidc/tenant-transaction.js';
import { createTenant } from '../commands/tenant-creator.js';
import { DEMO_STORES } from './accounts.js';

export interface DemoDirectory {
  tenantId: string;
  /** Store code -> store id. */
  stores: Record<string, string>;
  /** Region name -> region id. */
  regions: Record<string, string>;
}

const DEMO_MARK = 'dev-idp';

/**
 * The demo tenant the dev provider's people belong to, with two regions and three stores. Created through
 * the tenant command (audited) when absent; existing rows are reused, so restarts keep their ids.
 */
export async function ensureDemoDirectory(knex: Knex): Promise<DemoDirectory> {
  const existing = await Tenant.query(knex).whereRaw("settings->>'demo' = ?", [DEMO_MARK]).orderBy('created_at').first();
  const tenantId = existing?.id ?? (await createTenant(knex, 'Vigil Demo Retail')).tenant.id;
  if (!existing) await Tenant.query(knex).patch({ settings: { demo: DEMO_MARK } }).where('id', tenantId);
  return inTenant(knex, tenantId, async (trx) => {
    const ctx = { actor: { type: 'system' as const, id: 'dev-idp' }, tenantId, requestId: null, clientAddress: null, trx };
    const regions: Record<string, string> = {};
    for (const name of new Set(DEMO_STORES.map((s) => s.region))) {
      const found = await Region.forTenant(trx, tenantId).findOne('regions.name', name);
      const region = found ?? (await Region.query(trx).insertAndFetch({ tenantId, id: newId('region'), name }));
      if (!found) await writeAudit(ctx, { action: 'region.created', subjectType: 'Region', subjectId: region.id, after: { name } });
      regions[name] = region.id;
    }
    const stores: Record<string, string> = {};
    for (const seed of DEMO_STORES) {
      const found = await Store.forTenant(trx, tenantId).findOne('stores.code', seed.code);
      const regionId = regions[seed.region] as string;
      const store = found ?? (await Store.query(trx).insertAndFetch({ tenantId, id: newId('store'), regionId, name: seed.name, code: seed.code, timezone: 'Europe/Berlin', address: {}, settings: {} }));
      if (!found) await writeAudit(ctx, { action: 'store.created', subjectType: 'Store', subjectId: store.id, after: { name: seed.name, code: seed.code, regionId } });
      stores[seed.code] = store.id;
    }
    return { tenantId, stores, regions };
  });
}
