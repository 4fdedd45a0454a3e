import assert from 'node:assert/strict';
import { test } from 'node:test';
import { subject } from '@casl/ability';
import { abilityFor } from './ability.js';
import type { Principal, Role } from './types.js';

const principal = (role: Role, scope: Partial<Principal> = {}): Principal => ({
  tenantId: 'ten_x', environment: 'production', principalId: 'usr_x', kind: 'user', role, storeIds: [], regionIds: [], ...scope,
});
const item = (storeId: string, regionId = 'reg_n') => subject('Evidence', { storeId, regionId } as Record<string, unknown>);

test('plugins upload evidence for their own stores only and read none', () => {
  const plugin = abilityFor(principal('plugin', { storeIds: ['sto_a'] }));
  assert.ok(plugin.can('create', item('sto_a')));
  assert.ok(!plugin.can('create', item('sto_b')));
  assert.ok(!plugin.can('read', item('sto_a')));
});

test('an unredacted export needs the unredact permission: lp_admin has it, reviewers and auditors do not', () => {
  assert.ok(abilityFor(principal('lp_admin')).can('unredact', item('sto_a')));
  assert.ok(!abilityFor(principal('central_reviewer')).can('unredact', item('sto_a')));
  assert.ok(!abilityFor(principal('auditor')).can('unredact', item('sto_a')));
  const granted = abilityFor(principal('central_reviewer'), [{ action: 'unredact', subject: 'Evidence' }]);
  assert.ok(granted.can('unredact', item('sto_a')));
});

test('legal holds: reviewers and admins may place them, store staff may not', () => {
  assert.ok(abilityFor(principal('central_reviewer')).can('update', item('sto_a')));
  assert.ok(abilityFor(principal('lp_admin')).can('update', item('sto_a')));
  assert.ok(!abilityFor(principal('store_staff', { storeIds: ['sto_a'] })).can('update', item('sto_a')));
  assert.ok(abilityFor(principal('store_staff', { storeIds: ['sto_a'] })).can('read', item('sto_a')));
});
