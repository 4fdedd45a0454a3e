import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HitGate } from './cooldown.js';
import type { RuleHit } from './rule.js';
import { T0 } from './testing/scene.js';

const hit = (dedupKey: string, at: number): RuleHit => ({
  rule: 'test',
  since: at,
  at,
  confidence: 0.5,
  severity: 'low',
  explanation: 'test',
  evidence: { from: at, to: at },
  detections: [],
  pos: [],
  attributes: {},
  dedupKey,
});

test('HitGate drops a second hit with the same dedup key, however late', () => {
  const gate = new HitGate(0);
  assert.equal(gate.admit(hit('a', T0), 'lane'), true);
  assert.equal(gate.admit(hit('a', T0 + 60_000), 'lane'), false);
  assert.equal(gate.admit(hit('b', T0 + 60_000), 'lane'), true);
});

test('HitGate keeps a scope quiet for the cooldown, other scopes not', () => {
  const gate = new HitGate(10_000);
  assert.equal(gate.admit(hit('a', T0), 'lane-1'), true);
  assert.equal(gate.admit(hit('b', T0 + 5000), 'lane-1'), false);
  assert.equal(gate.admit(hit('c', T0 + 5000), 'lane-2'), true);
  assert.equal(gate.admit(hit('d', T0 + 10_000), 'lane-1'), true);
  assert.equal(gate.admit(hit('b', T0 + 30_000), 'lane-1'), false, 'a fact dropped by the cooldown stays dropped');
});

test('HitGate forgets keys after its memory and everything on reset', () => {
  const gate = new HitGate(0, 1000);
  gate.admit(hit('a', T0), 'x');
  assert.equal(gate.admit(hit('a', T0 + 5000), 'x'), true, 'forgotten after 1 s');
  const other = new HitGate(60_000);
  other.admit(hit('a', T0), 'x');
  other.reset();
  assert.equal(other.admit(hit('a', T0 + 1), 'x'), true);
});
