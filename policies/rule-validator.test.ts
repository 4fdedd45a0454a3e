import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validatePolicyDocument } from './rule-validator.js';

test('a narrowing rule for store staff is valid', () => {
  const result = validatePolicyDocument({
    role: 'store_staff',
    mode: 'replace',
    rules: [{ action: ['read', 'transition'], subject: 'Incident', conditions: { storeId: { $in: '${user.storeIds}' }, laneId: 'lan_0000000000aaaaaaaaaaaaaaaa' } }],
  });
  assert.deepEqual(result.problems, []);
  assert.equal(result.document?.rules.length, 1);
});

test('unknown subjects, actions, fields, operators and placeholders are refused with their paths', () => {
  const result = validatePolicyDocument({
    role: 'store_staff',
    rules: [
      { action: 'read', subject: 'Incidnet' },
      { action: 'peek', subject: 'Incident' },
      { action: 'read', subject: 'Incident', conditions: { storeID: 'sto_x' } },
      { action: 'read', subject: 'Incident', conditions: { storeId: { $regex: '.*' } } },
      { action: 'read', subject: 'Incident', conditions: { storeId: { $in: '${user.everything}' } } },
      { action: 'read', subject: 'Incident', fields: ['id', 'secretSauce'] },
    ],
  });
  const paths = result.problems.map((p) => p.path);
  assert.ok(paths.includes('rules[0].subject'), JSON.stringify(paths));
  assert.ok(paths.includes('rules[1].action'));
  assert.ok(paths.includes('rules[2].conditions.storeID'));
  assert.ok(paths.includes('rules[3].conditions.storeId.$regex'));
  assert.ok(paths.includes('rules[4].conditions.storeId.$in'));
  assert.ok(paths.includes('rules[5].fields[1]'));
  assert.equal(result.document, undefined);
});

test('an unknown role or extra keys are refused', () => {
  assert.ok(validatePolicyDocument({ role: 'janitor', rules: [] }).problems.some((p) => p.path === 'role'));
  assert.ok(validatePolicyDocument({ role: 'auditor', rules: [{ action: 'read', subject: 'Incident', when: 'always' }] }).problems.length > 0);
});
