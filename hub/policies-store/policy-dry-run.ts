import type { Knex } from 'knex';
import { PRODUCTION, Region, Store } from '../../models/index.js';
import { ACTIONS, SUBJECTS, abilityFor, policyWarnings, recordOf, whereAllowed, type AppAbility, type PolicyDocument, type Principal, type RuleProblem, type SubjectName, type TenantPolicy } from '../../policies/index.js';

/** What a dry run counts: the records a person of the role would see, per store. */
const COUNTED: Array<{ subject: Exclude<SubjectName, 'all'>; table: string; storeColumn: string }> = [
  { subject: 'Incident', table: 'incidents', storeColumn: 'store_id' },
  { subject: 'Store', table: 'stores', storeColumn: 'id' },
  { subject: 'Lane', table: 'lanes', storeColumn: 'store_id' },
  { subject: 'Camera', table: 'cameras', storeColumn: 'store_id' },
];

export interface DryRunScope {
  storeId?: string | undefined;
  regionId?: string | undefined;
}

export interface DryRunReport {
  dryRun: true;
  as: { role: string; storeIds: string[]; regionIds: string[] };
  visible: Array<{ subject: string; before: number; after: number; byStore: Array<{ storeId: string; before: number; after: number }> }>;
  gained: string[];
  lost: string[];
  warnings: RuleProblem[];
}

/** A person of the role as the dry run imagines them: the store or region asked for, else the tenant's first. */
async function principalFor(trx: Knex, tenantId: string, role: PolicyDocument['role'], scope: DryRunScope): Promise<Principal> {
  const base: Principal = { tenantId, environment: PRODUCTION, principalId: 'usr_dryrun', kind: role === 'plugin' ? 'service' : 'user', role, storeIds: [], regionIds: [] };
  if (role === 'regional_manager') {
    const regionId = scope.regionId ?? (await Region.forTenant(trx, tenantId).orderBy('regions.id').first())?.id;
    if (!regionId) return base;
    const stores = await Store.forTenant(trx, tenantId).where('stores.region_id', regionId).select('stores.id');
    return { ...base, regionIds: [regionId], storeIds: stores.map((s) => s.id) };
  }
  if (role === 'store_staff' || role === 'store_manager' || role === 'plugin') {
    const storeId = scope.storeId ?? (await Store.forTenant(trx, tenantId).orderBy('stores.id').first())?.id;
    return storeId ? { ...base, storeIds: [storeId] } : base;
  }
  return base;
}

async function countByStore(trx: Knex, tenantId: string, ability: AppAbility, counted: (typeof COUNTED)[number]): Promise<Map<string, number>> {
  const qb = trx(counted.table).where(`${counted.table}.tenant_id`, tenantId).select(`${counted.table}.${counted.storeColumn} as store_id`).count('* as n').groupBy(`${counted.table}.${counted.storeColumn}`);
  whereAllowed(qb, ability, 'read', counted.subject, counted.table);
  const rows = (await qb) as Array<{ store_id: string; n: string | number }>;
  return new Map(rows.map((r) => [r.store_id, Number(r.n)]));
}

/** "action Subject" for grants on every record, "… (some records)" for grants limited by conditions. */
function grants(ability: AppAbility): Set<string> {
  const out = new Set<string>();
  for (const action of ACTIONS) {
    for (const subject of SUBJECTS) {
      if (action === 'manage' || subject === 'all') continue;
      if (ability.can(action, recordOf(subject, {}))) out.add(`${action} ${subject}`);
      else if (ability.can(action, subject)) out.add(`${action} ${subject} (some records)`);
    }
  }
  return out;
}

/** What the role would see under a draft policy compared with today, without saving anything. */
export async function dryRunPolicy(trx: Knex, tenantId: string, current: TenantPolicy | null, draft: PolicyDocument, scope: DryRunScope): Promise<DryRunReport> {
  const principal = await principalFor(trx, tenantId, draft.role, scope);
  const before = abilityFor(principal, current);
  const after = abilityFor(principal, { mode: draft.mode, rules: draft.rules, version: (current?.version ?? 0) + 1 });
  const visible = [];
  for (const counted of COUNTED) {
    const [was, will] = [await countByStore(trx, tenantId, before, counted), await countByStore(trx, tenantId, after, counted)];
    const stores = [...new Set([...was.keys(), ...will.keys()])].sort();
    const byStore = stores.map((storeId) => ({ storeId, before: was.get(storeId) ?? 0, after: will.get(storeId) ?? 0 }));
    visible.push({ subject: counted.subject, before: byStore.reduce((n, s) => n + s.before, 0), after: byStore.reduce((n, s) => n + s.after, 0), byStore });
  }
  const [had, has] = [grants(before), grants(after)];
  return {
    dryRun: true,
    as: { role: draft.role, storeIds: principal.storeIds, regionIds: principal.regionIds },
    visible,
    gained: [...has].filter((g) => !had.has(g)),
    lost: [...had].filter((g) => !has.has(g)),
    warnings: policyWarnings(draft),
  };
}
