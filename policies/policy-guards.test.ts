import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONDITION_FIELDS } from './fields.js';
import { escalationProblems, lockoutProblems, policyWarnings } from './policy-guards.js';
import { validatePolicyDocument, type PolicyDocument } from './rule-validator.js';
import { SUBJECTS, type Role, type RuleTemplate } from './types.js';

const doc = (role: Role, rules: RuleTemplate[], mode: 'extend' | 'replace' = 'extend'): PolicyDocument => ({ role, mode, rules });

test('a change that lets a role edit policies, mint tokens or create users it could not before is refused, naming the rule', () => {
  const delegated = escalationProblems(null, doc('store_manager', [{ action: 'read', subject: 'Incident' }, { action: 'update', subject: 'Policy', conditions: { role: 'store_staff' } }]));
  assert.deepEqual([...new Set(delegated.map((p) => p.path))], ['rules[1]']);
  assert.match(delegated[0]!.message, /edit the store_staff policy/);
  const everything = escalationProblems(null, doc('store_staff', [{ action: 'manage', subject: 'all' }]));
  for (const power of ['edit the lp_admin policy', 'mint lp_admin tokens', 'create lp_admin users', 'register service identities']) {
    assert.ok(everything.some((p) => p.message.includes(power)), power);
  }
  assert.ok(escalationProblems(null, doc('it_integrator', [{ action: 'create', subject: 'ApiToken', conditions: { role: 'it_integrator' } }])).length > 0, 'minting its own role');
  assert.deepEqual(escalationProblems(null, doc('it_integrator', [{ action: 'create', subject: 'ApiToken', conditions: { role: 'plugin' } }])), [], 'a power already held is kept');
  assert.deepEqual(escalationProblems(null, doc('lp_admin', [{ action: 'unredact', subject: 'Evidence' }])), []);
});

test('lp_admin keeps what it takes to repair policies: emptying or narrowing it is refused, reasons named', () => {
  assert.ok(lockoutProblems(doc('lp_admin', [], 'replace')).some((p) => /edit the lp_admin policy/.test(p.message)));
  assert.ok(lockoutProblems(doc('lp_admin', [{ action: 'update', subject: 'Policy', inverted: true }])).length >= 8);
  assert.ok(lockoutProblems(doc('lp_admin', [{ action: 'manage', subject: 'Incident' }], 'replace')).length > 0);
  assert.deepEqual(lockoutProblems(doc('lp_admin', [{ action: 'delete', subject: 'Incident', inverted: true }])), []);
  assert.deepEqual(lockoutProblems(doc('store_staff', [], 'replace')), []);
});

test('warnings: an extend rule reaching past the built-in scope, manage, and all', () => {
  const widening = policyWarnings(doc('store_staff', [{ action: 'read', subject: 'Incident', conditions: { type: 'scan_avoidance' } }]));
  assert.equal(widening.length, 1);
  assert.match(widening[0]!.message, /beyond the built-in scope of store_staff \(read Incident\).*mode replace or an inverted rule/);
  const narrowing = policyWarnings(doc('store_staff', [{ action: 'read', subject: 'Incident', conditions: { storeId: { $in: '${user.storeIds}' }, type: 'scan_avoidance' } }]));
  assert.deepEqual(narrowing, [], 'repeating the built-in condition stays inside the scope');
  assert.deepEqual(policyWarnings(doc('store_staff', [{ action: 'read', subject: 'Incident', conditions: { type: 'scan_avoidance' } }], 'replace')), []);
  const manageAll = policyWarnings(doc('store_staff', [{ action: 'manage', subject: 'all' }], 'replace')).map((w) => w.message);
  assert.ok(manageAll.some((m) => m.startsWith('grants manage')) && manageAll.some((m) => m.startsWith('grants on subject all')));
});

test('every subject: a condition is either on a field the routes check or refused at save with its path', () => {
  for (const subject of SUBJECTS) {
    const spec = subject === 'all' ? undefined : CONDITION_FIELDS[subject];
    const result = validatePolicyDocument({ role: 'auditor', rules: [{ action: 'read', subject, conditions: { [spec?.fields[0] ?? 'id']: '${user.id}' } }] });
    if (spec) assert.deepEqual(result.problems, [], subject);
    else assert.deepEqual(result.problems.map((p) => p.path), ['rules[0].conditions'], subject);
    const unchecked = validatePolicyDocument({ role: 'auditor', rules: [{ action: 'read', subject, conditions: { notAField: 1 } }] });
    assert.equal(unchecked.document, undefined, `${subject}: an unchecked field is refused`);
  }
});

test('conditions a create cannot check, and field lists no presenter applies, are refused', () => {
  const paths = (rules: unknown[]) => validatePolicyDocument({ role: 'lp_admin', rules }).problems.map((p) => p.path);
  assert.deepEqual(paths([{ action: 'create', subject: 'Store', conditions: { regionId: 'reg_x' } }]), ['rules[0].conditions.regionId']);
  assert.deepEqual(paths([{ action: 'manage', subject: 'Camera', conditions: { laneId: 'lan_x' } }]), ['rules[0].conditions.laneId']);
  assert.deepEqual(paths([{ action: 'create', subject: 'Camera', conditions: { storeId: 'sto_x' } }]), []);
  assert.deepEqual(paths([{ action: 'read', subject: 'Webhook', fields: ['url'] }]), ['rules[0].fields']);
  assert.deepEqual(paths([{ action: ['read', 'update'], subject: 'Evidence', conditions: { storeId: 'sto_x' } }]), ['rules[0].conditions']);
  assert.deepEqual(paths([{ action: ['read', 'unredact'], subject: 'Evidence', conditions: { storeId: 'sto_x' } }]), []);
  assert.deepEqual(paths([{ action: 'update', subject: 'Camera', fields: ['name'] }]), ['rules[0].fields']);
});

test('enum values are checked, valid choices are listed, and role, mode and rule errors come together', () => {
  const result = validatePolicyDocument({
    role: 'janitor', mode: 'merge',
    rules: [
      { action: 'read', subject: 'Incident', conditions: { state: 'closed', severity: { $in: ['high', 'extreme'] } } },
      { action: 'peek', subject: 'Incidnet' },
      { action: 'read', subject: 'Policy', conditions: { role: 'store_staf' } },
    ],
  });
  const byPath = Object.fromEntries(result.problems.map((p) => [p.path, p.message]));
  assert.match(byPath.role ?? '', /valid roles: store_staff, .*plugin/);
  assert.match(byPath.mode ?? '', /valid modes: extend, replace/);
  assert.match(byPath['rules[0].conditions.state'] ?? '', /valid values: new, acknowledged/);
  assert.match(byPath['rules[0].conditions.severity.$in'] ?? '', /"extreme".*valid values: low, medium, high, critical/);
  assert.match(byPath['rules[1].action'] ?? '', /valid actions: manage, read/);
  assert.match(byPath['rules[1].subject'] ?? '', /valid subjects: Region, Store/);
  assert.match(byPath['rules[2].conditions.role'] ?? '', /valid values: store_staff/);
  assert.equal(result.document, undefined);
});
