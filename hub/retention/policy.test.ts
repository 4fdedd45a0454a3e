import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outcomeOf, ruleFor, type RetentionPolicyRow } from './policy.js';

const policy = (over: Partial<RetentionPolicyRow>): RetentionPolicyRow => ({
  tenant_id: 'ten_x', id: 'pol_x', region_id: null, store_id: null, incident_type: null, outcome: 'dismissed', keep_days: 1, created_at: new Date(), ...over,
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
    policy({ id: 'pol_tenant', keep_days: 5 }),
    policy({ id: 'pol_region', region_id: 'reg_n', keep_days: 4 }),
    policy({ id: 'pol_type', incident_type: 'zone_dwell', keep_days: 6 }),
    policy({ id: 'pol_store', store_id: 'sto_a', keep_days: 2 }),
    policy({ id: 'pol_other_store', store_id: 'sto_b', keep_days: 30 }),
    policy({ id: 'pol_verified', outcome: 'verified', keep_days: 365 }),
  ];
  assert.deepEqual(ruleFor(policies, subject), { keepDays: 2, source: 'pol_store' });
  assert.deepEqual(ruleFor(policies, { ...subject, storeId: 'sto_c' }), { keepDays: 4, source: 'pol_region' });
  assert.deepEqual(ruleFor(policies, { ...subject, storeId: 'sto_c', regionId: 'reg_s' }), { keepDays: 6, source: 'pol_type' });
  assert.deepEqual(ruleFor(policies, { ...subject, storeId: 'sto_c', regionId: 'reg_s', incidentType: 'push_out' }), { keepDays: 5, source: 'pol_tenant' });
  assert.deepEqual(ruleFor(policies, { ...subject, outcome: 'verified' }), { keepDays: 365, source: 'pol_verified' });
});
