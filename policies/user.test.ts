import assert from 'node:assert/strict';
import { subject } from '@casl/ability';
import { test } from 'node:test';
import { abilityFor } from './ability.js';
import type { Principal, Role } from './types.js';

const principal = (role: Role, principalId = 'usr_self'): Principal => ({ tenantId: 'ten_x', environment: 'production', principalId, kind: 'user', role, storeIds: ['sto_a'], regionIds: [] });
const user = (id: string) => subject('User', { id, role: 'store_staff' } as Record<string, unknown>);

test('people read their own user record and no one else\'s; only lp_admin manages users', () => {
  for (const role of ['store_staff', 'store_manager', 'regional_manager', 'central_reviewer', 'it_integrator', 'auditor'] as const) {
    const ability = abilityFor(principal(role));
    assert.ok(ability.can('read', user('usr_self')), `${role} reads self`);
    assert.ok(!ability.can('read', user('usr_other')), `${role} reads another user`);
    assert.ok(!ability.can('create', 'User'), `${role} creates users`);
    assert.ok(!ability.can('update', user('usr_self')), `${role} edits its own role`);
  }
  const admin = abilityFor(principal('lp_admin'));
  assert.ok(admin.can('create', 'User'));
  assert.ok(admin.can('update', user('usr_other')));
  assert.ok(!abilityFor(principal('plugin', 'svc_x')).can('read', 'User'), 'a plugin reads no users');
});
