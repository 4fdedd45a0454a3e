import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PosBuffer } from './pos-buffer.js';
import { T0, pos } from './testing/scene.js';

const sales = () => new PosBuffer((e) => e.laneId === 'lane-1', new Set(['sale'] as const));

test('PosBuffer keeps events in camera-clock order, once each, of its lane and kinds', () => {
  const buffer = sales();
  const late = pos('sale', T0 + 2000, { itemId: 'b' });
  const early = pos('sale', T0 + 1000, { itemId: 'a' });
  assert.equal(buffer.add([late, early, late, pos('void', T0), pos('sale', T0, { laneId: 'lane-2' })]).length, 2);
  assert.deepEqual(buffer.between(T0, T0 + 5000).map((e) => e.itemId), ['a', 'b']);
});

test('PosBuffer lets each event be claimed once, earliest first', () => {
  const buffer = sales();
  buffer.add([pos('sale', T0 + 2000, { itemId: 'b' }), pos('sale', T0 + 1000, { itemId: 'a' })]);
  assert.equal(buffer.claimEarliest('sale', T0, T0 + 5000)?.itemId, 'a');
  assert.equal(buffer.claimEarliest('sale', T0, T0 + 5000)?.itemId, 'b');
  assert.equal(buffer.claimEarliest('sale', T0, T0 + 5000), undefined);
});

test('PosBuffer shows the earliest unclaimed event without claiming it', () => {
  const buffer = sales();
  buffer.add([pos('sale', T0 + 2000, { itemId: 'b' }), pos('sale', T0 + 1000, { itemId: 'a' })]);
  assert.equal(buffer.peekEarliest('sale', T0, T0 + 5000)?.itemId, 'a');
  assert.equal(buffer.claimEarliest('sale', T0, T0 + 5000)?.itemId, 'a', 'still there to claim');
  assert.equal(buffer.peekEarliest('sale', T0, T0 + 5000)?.itemId, 'b');
  assert.equal(buffer.peekEarliest('sale', T0 + 2500, T0 + 5000), undefined);
});

test('PosBuffer forgets old events and refuses ones older than what it forgot', () => {
  const buffer = sales();
  buffer.add([pos('sale', T0, { itemId: 'a' }), pos('sale', T0 + 10_000, { itemId: 'b' })]);
  buffer.forgetBefore(T0 + 5000);
  assert.equal(buffer.size, 1);
  assert.equal(buffer.add([pos('sale', T0 + 1000, { itemId: 'c' })]).length, 0);
  buffer.reset();
  assert.equal(buffer.add([pos('sale', T0 + 1000, { itemId: 'c' })]).length, 1);
});
