import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDraft, pathKeys, policyYaml } from './policy-yaml.js';

test('a path as the API names it becomes keys', () => {
  assert.deepEqual(pathKeys('rules[0].conditions.storeId'), ['rules', 0, 'conditions', 'storeId']);
  assert.deepEqual(pathKeys('body.rules.2'), ['rules', 2]);
});

test('a problem\'s path points at its line in YAML; a missing key at its nearest parent', () => {
  const parsed = parseDraft('mode: replace\nrules:\n  - action: read\n    subject: Incident\n    conditions:\n      stor_id: x\n');
  assert.ok(!('problem' in parsed));
  assert.deepEqual(parsed.document, { mode: 'replace', rules: [{ action: 'read', subject: 'Incident', conditions: { stor_id: 'x' } }] });
  assert.equal(parsed.lineOf('rules[0].conditions.stor_id'), 6);
  assert.equal(parsed.lineOf('rules[0].conditions.missing'), 5);
  assert.equal(parsed.lineOf('rules[0]'), 3);
  assert.equal(parsed.lineOf('reason'), 1);
});

test('JSON is YAML too, with the same lines', () => {
  const parsed = parseDraft('{\n  "mode": "replace",\n  "rules": [\n    { "action": "read",\n      "x": 1 }\n  ]\n}');
  assert.ok(!('problem' in parsed));
  assert.equal(parsed.lineOf('rules[0].x'), 5);
});

test('a YAML syntax error, a duplicate key and a non-mapping are problems at their line', () => {
  const broken = parseDraft('mode: replace\nrules:\n  - action: read\n    subject: [Incident\n  - action: update\n');
  assert.ok('problem' in broken);
  assert.equal(broken.problem.line, 5);
  assert.match(broken.problem.message, /^not valid YAML/);
  const duplicate = parseDraft('mode: replace\nmode: extend\nrules: []\n');
  assert.ok('problem' in duplicate);
  assert.equal(duplicate.problem.line, 2);
  const list = parseDraft('- a\n- b\n');
  assert.ok('problem' in list);
  assert.equal(list.problem.line, 1);
});

test('the editor\'s YAML of a policy reads back as the same document', () => {
  const document = { mode: 'extend', rules: [{ action: ['read'], subject: 'Incident', conditions: { laneId: 'lane_1' } }] };
  const parsed = parseDraft(policyYaml(document));
  assert.ok(!('problem' in parsed));
  assert.deepEqual(parsed.document, document);
});
