import assert from 'node:assert/strict';
import { subject } from '@casl/ability';
import { test } from 'node:test';
import { abilityFor } from './ability.js';
import type { Principal, Role } from './types.js';

const principal = (role: Role, storeIds: string[] = [], regionIds: string[] = []): Principal => ({
  tenantId: 'ten_x', environment: 'production', principalId: 'usr_x', kind: 'user', role, storeIds, regionIds,
});
const of = (name: string, fields: Record<string, unknown>) => subject(name, fields);

test('store roles see their own stores, lanes and cameras; managers may also edit lanes and cameras', () => {
  const staff = abilityFor(principal('store_staff', ['sto_a']));
  assert.ok(staff.can('read', of('Store', { id: 'sto_a' })));
  assert.ok(!staff.can('read', of('Store', { id: 'sto_b' })));
  assert.ok(staff.can('read', of('Camera', { storeId: 'sto_a' })));
  assert.ok(!staff.can('update', of('Camera', { storeId: 'sto_a' })));
  const manager = abilityFor(principal('store_manager', ['sto_a']));
  assert.ok(manager.can('update', of('Camera', { storeId: 'sto_a' })));
  assert.ok(!manager.can('update', of('Camera', { storeId: 'sto_b' })));
});

test('IT integrators register cameras and devices but do not create stores', () => {
  const it = abilityFor(principal('it_integrator'));
  assert.ok(it.can('create', of('Camera', { storeId: 'sto_any' })));
  assert.ok(!it.can('create', 'Store'));
  assert.ok(it.can('create', of('ApiToken', { role: 'plugin' })));
  assert.ok(!it.can('create', of('ApiToken', { role: 'lp_admin' })), 'an integrator cannot mint an admin');
});

test('a plugin reads only its own stores and cameras', () => {
  const plugin = abilityFor(principal('plugin', ['sto_a']));
  assert.ok(plugin.can('read', of('Camera', { storeId: 'sto_a' })));
  assert.ok(!plugin.can('read', of('Camera', { storeId: 'sto_b' })));
  assert.ok(plugin.can('ingest', of('Event', { storeId: 'sto_a' })));
  assert.ok(!plugin.can('ingest', of('Event', { storeId: 'sto_b' })));
});

test('lp_admin manages everything in its tenant; auditor reads the audit trail', () => {
  assert.ok(abilityFor(principal('lp_admin')).can('update', of('Store', { id: 'sto_any' })));
  assert.ok(abilityFor(principal('auditor')).can('read', 'AuditRecord'));
  assert.ok(!abilityFor(principal('central_reviewer')).can('read', 'AuditRecord'));
});
