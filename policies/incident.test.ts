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
const incident = (storeId: string, regionId: string) => subject('Incident', { storeId, regionId } as Record<string, unknown>);

test('store staff read and act on incidents of their stores only', () => {
  const ability = abilityFor(principal('store_staff', { storeIds: ['sto_a'] }));
  assert.ok(ability.can('read', incident('sto_a', 'reg_n')));
  assert.ok(ability.can('transition', incident('sto_a', 'reg_n')));
  assert.ok(!ability.can('read', incident('sto_b', 'reg_n')));
  assert.ok(!ability.can('ingest', 'Event'));
});

test('regional managers are scoped by region, reviewers by tenant, auditors read only', () => {
  const regional = abilityFor(principal('regional_manager', { regionIds: ['reg_n'] }));
  assert.ok(regional.can('read', incident('sto_z', 'reg_n')));
  assert.ok(!regional.can('read', incident('sto_z', 'reg_s')));
  const reviewer = abilityFor(principal('central_reviewer'));
  assert.ok(reviewer.can('transition', incident('sto_any', 'reg_any')));
  const auditor = abilityFor(principal('auditor'));
  assert.ok(auditor.can('read', incident('sto_any', 'reg_any')));
  assert.ok(!auditor.can('transition', incident('sto_any', 'reg_any')));
});

test("rules become SQL: store staff's list is narrowed in the WHERE clause; no rule means no rows", () => {
  const knex = knexFactory({ client: 'pg' });
  const staff = abilityFor(principal('store_staff', { storeIds: ['sto_a', 'sto_b'] }));
  const sql = whereAllowed(knex('incidents'), staff, 'read', 'Incident', 'incidents').toString();
  assert.match(sql, /"incidents"\."store_id" in \('sto_a', 'sto_b'\)/);
  const reviewer = abilityFor(principal('central_reviewer'));
  assert.equal(whereAllowed(knex('incidents'), reviewer, 'read', 'Incident', 'incidents').toString(), 'select * from "incidents"');
  const plugin = abilityFor(principal('plugin', { storeIds: ['sto_a'] }));
  assert.match(whereAllowed(knex('incidents'), plugin, 'read', 'Incident', 'incidents').toString(), /where false/);
});

test('inverted rules and $ne/$nin become negated SQL', () => {
  const knex = knexFactory({ client: 'pg' });
  const ability = abilityFor(principal('store_staff', { storeIds: ['sto_a'] }), [
    { action: 'read', subject: 'Incident', conditions: { laneId: 'lan_hidden' }, inverted: true },
    { action: 'read', subject: 'Incident', conditions: { state: { $nin: ['dismissed'] }, severity: { $ne: 'low' } } },
  ]);
  const sql = whereAllowed(knex('incidents'), ability, 'read', 'Incident', 'incidents').toString();
  assert.match(sql, /not \("incidents"\."lane_id" = 'lan_hidden'\)/);
  assert.match(sql, /"incidents"\."state" not in \('dismissed'\)/);
  assert.match(sql, /not "incidents"\."severity" = 'low'/);
});
