import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRule } from './rule-registry.js';
import { oneAfterAnother, withPos } from './testing/checkout-paths.js';
import { CHECKOUT_ZONES, LANE, T0, idle, play, pos } from './testing/scene.js';

const env = { timezone: 'UTC', laneId: LANE };
/** Without the wait for a silent POS feed (it has its own test in scan-avoidance.test.ts), unless a test sets it. */
const rule = (config: Record<string, unknown> = {}) => createRule('sweethearting', { maxPosWaitSeconds: 0, ...config }, env);
/** Product k (0-based in `oneAfterAnother`) is on the scanner from T0 + 3 s * k + 1 s. */
const scanOf = (k: number): number => T0 + 3000 * k + 1000;

test('sweethearting: two unscanned products in one transaction raise one hit for the transaction', () => {
  let frames = withPos([...oneAfterAnother(1, 2, 3), ...idle(30)], 0, [pos('transaction_start', T0, { sequenceNumber: '55' })]);
  frames = withPos(frames, 20, [pos('transaction_end', T0 + 10_000, { sequenceNumber: '55' })]);
  const hits = play(rule(), CHECKOUT_ZONES, frames);
  assert.equal(hits.length, 1);
  const [hit] = hits;
  assert.equal(hit?.rule, 'sweethearting');
  assert.equal(hit?.attributes['transaction'], '55');
  assert.equal(hit?.attributes['operatorId'], 'op-7');
  assert.match(hit?.explanation ?? '', /2 products reached bagging in transaction 55 with no sale line within 4 s \(tracks 1, 2\); operator op-7/);
  assert.equal(hit?.pos[0]?.kind, 'transaction_start');
  assert.ok((hit?.evidence.from ?? Infinity) <= scanOf(0) && (hit?.evidence.to ?? 0) >= scanOf(1));
});

test('sweethearting: one unscanned product among scanned ones is not enough', () => {
  const sales = [pos('sale', scanOf(0) + 500, { itemId: 'a' }), pos('sale', scanOf(2) + 500, { itemId: 'c' })];
  const frames = withPos([...oneAfterAnother(1, 2, 3), ...idle(30)], 0, [pos('transaction_start', T0), ...sales]);
  assert.deepEqual(play(rule(), CHECKOUT_ZONES, frames), []);
});

test('sweethearting: late and out-of-order sale lines are matched before products are counted', () => {
  const sales = [pos('sale', scanOf(2), { itemId: 'c' }), pos('sale', scanOf(1), { itemId: 'b' }), pos('sale', scanOf(0), { itemId: 'a' })];
  const frames = withPos([...oneAfterAnother(1, 2, 3), ...idle(30)], 12, sales);
  assert.deepEqual(play(rule(), CHECKOUT_ZONES, frames), []);
});

test('sweethearting: each transaction counts its own products', () => {
  let frames = withPos([...oneAfterAnother(1, 2, 3, 4), ...idle(30)], 0, [pos('transaction_start', T0, { sequenceNumber: '1' })]);
  // Transaction 1 ends after product 1 (scanner at +1 s); products 2..4 are in transaction 2.
  frames = withPos(frames, 5, [pos('transaction_end', T0 + 2500, { sequenceNumber: '1' }), pos('transaction_start', T0 + 2600, { sequenceNumber: '2' })]);
  const hits = play(rule({ cooldownSeconds: 0 }), CHECKOUT_ZONES, frames);
  assert.equal(hits.length, 1);
  assert.equal(hits[0]?.attributes['transaction'], '2');
  assert.equal(hits[0]?.attributes['unscannedCount'], 2);
});

test('sweethearting: without transaction marks an idle gap separates customers', () => {
  const together = play(rule(), CHECKOUT_ZONES, [...oneAfterAnother(1, 2), ...idle(30)]);
  assert.equal(together.length, 1);
  assert.match(together[0]?.explanation ?? '', /in one run of products/);
  const apart = play(rule({ idleSeconds: 5 }), CHECKOUT_ZONES, [...oneAfterAnother(1), ...idle(20), ...oneAfterAnother(2), ...idle(30)]);
  assert.deepEqual(apart, []);
});

test('sweethearting: the cooldown drops a second transaction’s hit on the lane; reset forgets the tally', () => {
  const two = [...oneAfterAnother(1, 2), ...idle(30), ...oneAfterAnother(3, 4), ...idle(30)];
  assert.equal(play(rule({ idleSeconds: 5 }), CHECKOUT_ZONES, two).length, 1, 'default cooldown 60 s');
  assert.equal(play(rule({ idleSeconds: 5, cooldownSeconds: 0 }), CHECKOUT_ZONES, two).length, 2);
  const r = rule({ minUnscanned: 2 });
  assert.deepEqual(play(r, CHECKOUT_ZONES, [...oneAfterAnother(1), ...idle(20)]), []);
  r.reset?.();
  assert.deepEqual(play(r, CHECKOUT_ZONES, [...oneAfterAnother(2), ...idle(20)], T0 + 30_000), [], 'the first product was forgotten');
});
