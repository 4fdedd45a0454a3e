import assert from 'node:assert/strict';
import { subject } from '@casl/ability';
import { test } from 'node:test';
import { abilityFor } from './ability.js';
import type { Principal, Role } from './types.js';

const of = (name: string, fields: Record<string, unknown>) => subject(name, fields);
const principal = (role: Role, regionIds: string[] = []): Principal => ({ tenantId: 'ten_x', environment: 'production', principalId: 'usr_x', kind: 'user', role, storeIds: [], regionIds });

test('IT integrators manage webhooks and post POS exports but only read routing policies', () => {
  const it = abilityFor(principal('it_integrator'));
  assert.ok(it.can('create', 'Webhook'));
  assert.ok(it.can('update', of('Webhook', { id: 'whk_x' })));
  assert.ok(it.can('ingest', 'PosTransaction'));
  assert.ok(it.can('read', 'RoutingPolicy'));
  assert.ok(!it.can('create', 'RoutingPolicy'));
});

test('store staff neither see webhooks nor post POS data; regional managers read their regions\' routes', () => {
  const staff = abilityFor(principal('store_staff'));
  assert.ok(!staff.can('read', 'Webhook'));
  assert.ok(!staff.can('ingest', 'PosTransaction'));
  const regional = abilityFor(principal('regional_manager', ['reg_n']));
  assert.ok(regional.can('read', of('RoutingPolicy', { regionId: 'reg_n' })));
  assert.ok(!regional.can('read', of('RoutingPolicy', { regionId: 'reg_s' })));
  assert.ok(!regional.can('update', of('RoutingPolicy', { regionId: 'reg_n' })));
  assert.ok(abilityFor(principal('lp_admin')).can('create', 'RoutingPolicy'));
});
