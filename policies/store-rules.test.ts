import assert from 'node:assert/strict';
import { test } from 'node:test';
import { abilityFor, recordOf } from './ability.js';
import type { Principal, Role } from './types.js';

const principal = (role: Role, scope: { storeIds?: string[]; regionIds?: string[] } = {}): Principal => ({
  tenantId: 'ten_x', environment: 'production', principalId: 'usr_x', kind: role === 'plugin' ? 'service' : 'user', role, storeIds: scope.storeIds ?? [], regionIds: scope.regionIds ?? [],
});
const rulesOf = (storeId: string, regionId: string) => recordOf('StoreRules', { storeId, regionId });

test('store rules: store roles and the plugin read their own stores\' rules only, and none of them replaces them', () => {
  for (const role of ['store_staff', 'store_manager', 'plugin'] as const) {
    const ability = abilityFor(principal(role, { storeIds: ['sto_a'] }));
    assert.ok(ability.can('read', rulesOf('sto_a', 'reg_n')), role);
    assert.ok(!ability.can('read', rulesOf('sto_b', 'reg_n')), role);
    assert.ok(!ability.can('update', rulesOf('sto_a', 'reg_n')), role);
  }
});

test('store rules: a regional manager reads the rules of its regions\' stores; tenant-wide readers read all; lp_admin replaces', () => {
  const regional = abilityFor(principal('regional_manager', { regionIds: ['reg_n'] }));
  assert.ok(regional.can('read', rulesOf('sto_b', 'reg_n')));
  assert.ok(!regional.can('read', rulesOf('sto_c', 'reg_s')));
  for (const role of ['central_reviewer', 'it_integrator', 'auditor'] as const) {
    assert.ok(abilityFor(principal(role)).can('read', rulesOf('sto_c', 'reg_s')), role);
    assert.ok(!abilityFor(principal(role)).can('update', rulesOf('sto_c', 'reg_s')), role);
  }
  assert.ok(abilityFor(principal('lp_admin')).can('update', rulesOf('sto_c', 'reg_s')));
});
