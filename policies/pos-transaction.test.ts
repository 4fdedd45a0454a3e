import assert from 'node:assert/strict';
import { subject } from '@casl/ability';
import { test } from 'node:test';
import knexFactory from 'knex';
import { abilityFor } from './ability.js';
import { whereAllowed } from './sql-conditions.js';
import type { Principal, Role } from './types.js';

const principal = (role: Role, scope: Partial<Principal> = {}): Principal => ({
  tenantId: 'ten_x', environment: 'production', principalId: 'usr_x', kind: 'user', role, storeIds: [], regionIds: [], ...scope,
});
const tx = (storeId: string | null, regionId: string | null) => subject('PosTransaction', { storeId, regionId } as Record<string, unknown>);

test('POS transactions are read like incidents: store roles their stores, regional managers their regions, reviewers the tenant', () => {
  const staff = abilityFor(principal('store_staff', { storeIds: ['sto_a'] }));
  assert.ok(staff.can('read', tx('sto_a', 'reg_n')));
  assert.ok(!staff.can('read', tx('sto_b', 'reg_n')));
  assert.ok(!staff.can('read', tx(null, null)), 'an unmatched transaction is tenant-wide only');
  assert.ok(!staff.can('ingest', 'PosTransaction'));
  const regional = abilityFor(principal('regional_manager', { regionIds: ['reg_n'] }));
  assert.ok(regional.can('read', tx('sto_z', 'reg_n')));
  assert.ok(!regional.can('read', tx('sto_z', 'reg_s')));
  for (const role of ['central_reviewer', 'it_integrator', 'auditor', 'lp_admin'] as const) assert.ok(abilityFor(principal(role)).can('read', tx(null, null)), role);
  assert.ok(!abilityFor(principal('plugin', { storeIds: ['sto_a'] })).can('read', tx('sto_a', 'reg_n')));
});

test('the list narrows POS transactions in SQL by store or region', () => {
  const knex = knexFactory({ client: 'pg' });
  const sql = (role: Role, scope: Partial<Principal>) => whereAllowed(knex('pos_transactions'), abilityFor(principal(role, scope)), 'read', 'PosTransaction', 'pos_transactions').toString();
  assert.match(sql('store_manager', { storeIds: ['sto_a'] }), /"pos_transactions"\."store_id" in \('sto_a'\)/);
  assert.match(sql('regional_manager', { regionIds: ['reg_n'] }), /"pos_transactions"\."region_id" in \('reg_n'\)/);
  assert.match(sql('plugin', { storeIds: ['sto_a'] }), /false/);
});
