import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outcomeOf, ruleFor, type RetentionPolicyScope } from './policy.js';

const policy = (over: Partial<RetentionPolicyScope>): RetentionPolicyScope => ({
  id: 'ret_x', regionId: null, storeId: null, incidentType: null, outcome: 'dismissed', keepDays: 1, ...over,
});
const subject = { regionId: 'reg_n', storeId: 'sto_a', incidentType: 'zone_dwell', outcome: 'dismissed' as const };

test('defaults: dismissed 3 days, unreviewed 7, verified 90', () => {
  assert.deepEqual(ruleFor([], subject), { keepDays: 3, source: 'default' });
  assert.equal(ruleFor([], { ...subject, outcome: 'unreviewed' }).keepDays, 7);
  assert.equal(ruleFor([], { ...subject, outcome: 'verified' }).keepDays, 90);
  assert.equal(outcomeOf('acknowledged'), 'unreviewed');
  assert.equal(outcomeOf(null), 'unreviewed');
  assert.equal(outcomeOf('resolved'), 'verified');
});

test('the most specific policy wins: store over region over tenant, a type over any type', () => {
  const policies = [
    policy({ id: 'ret_tenant', keepDays: 5 }),
    policy({ id: 'ret_region', regionId: 'reg_n', keepDays: 4 }),
    policy({ id: 'ret_type', incidentType: 'zone_dwell', keepDays: 6 }),
    policy({ id: 'ret_store', storeId: 'sto_a', keepDays: 2 }),
    policy({ id: 'ret_other_store', storeId: 'sto_b', keepDays: 30 }),
    policy({ id: 'ret_verified', outcome: 'verified', keepDays: 365 }),
  ];
  assert.deepEqual(ruleFor(policies, subject), { keepDays: 2, source: 'ret_store' });
  assert.deepEqual(ruleFor(policies, { ...subject, storeId: 'sto_c' }), { keepDays: 4, source: 'ret_region' });
  assert.deepEqual(ruleFor(policies, { ...subject, storeId: 'sto_c', regionId: 'reg_s' }), { keepDays: 6, source: 'ret_type' });
  assert.deepEqual(ruleFor(policies, { ...subject, storeId: 'sto_c', regionId: 'reg_s', incidentType: 'push_out' }), { keepDays: 5, source: 'ret_tenant' });
  assert.deepEqual(ruleFor(policies, { ...subject, outcome: 'verified' }), { keepDays: 365, source: 'ret_verified' });
});
