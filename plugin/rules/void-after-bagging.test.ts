import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRule } from './rule-registry.js';
import { oneAfterAnother, scannedPath, withPos } from './testing/checkout-paths.js';
import { CHECKOUT_ZONES, LANE, T0, idle, play, pos, productAt, type FrameSpec } from './testing/scene.js';

const env = { timezone: 'UTC', laneId: LANE };
/** Without the wait for a silent POS feed (it has its own test in scan-avoidance.test.ts), unless a test sets it. */
const rule = (config: Record<string, unknown> = {}) => createRule('void_after_bagging', { maxPosWaitSeconds: 0, ...config }, env);
/** Product 1 crosses the scanner from +1 s to +2 s and stays in bagging; its sale line is item A. */
const saleA = pos('sale', T0 + 1500, { itemId: 'A' });
const voidOf = (itemId: string | null, at: number, seq = '1001') => pos('void', at, { itemId, sequenceNumber: seq });

test('void_after_bagging: voiding the sale line of a product already in bagging fires', () => {
  const frames = withPos(withPos([...scannedPath(1), ...idle(40)], 3, [saleA]), 12, [voidOf('A', T0 + 6000)]);
  const hits = play(rule(), CHECKOUT_ZONES, frames);
  assert.equal(hits.length, 1);
  const [hit] = hits;
  assert.equal(hit?.rule, 'void_after_bagging');
  assert.equal(hit?.trackId, 1);
  assert.equal(hit?.attributes['method'], 'matched_sale');
  assert.deepEqual(hit?.pos.map((p) => p.kind), ['sale', 'void']);
  assert.ok((hit?.evidence.from ?? Infinity) <= T0 + 1500 && (hit?.evidence.to ?? 0) >= T0 + 6000);
  assert.match(hit?.explanation ?? '', /void \(lane lane-1, transaction 1001, operator op-7, item A\) for product 1, which was already in the bagging area/);
});

test('void_after_bagging: a product taken back out of bagging before the void raises nothing', () => {
  const takenOut: FrameSpec[] = [...scannedPath(1), { tracks: [productAt(1, 0.9)] }, { tracks: [productAt(1, 0.9)] }];
  const frames = withPos(withPos([...takenOut, ...idle(40)], 3, [saleA]), 12, [voidOf('A', T0 + 6000)]);
  assert.deepEqual(play(rule(), CHECKOUT_ZONES, frames), []);
});

test('void_after_bagging: without a matching sale line, a product bagged within the lookback counts', () => {
  const frames = withPos([...scannedPath(1), ...idle(40)], 12, [voidOf('Z', T0 + 6000)]);
  const hits = play(rule(), CHECKOUT_ZONES, frames);
  assert.equal(hits.length, 1);
  assert.equal(hits[0]?.attributes['method'], 'recent_bagging');
  assert.ok((hits[0]?.confidence ?? 1) < 0.6, 'a weaker tie');
  const tooLate = withPos([...scannedPath(1), ...idle(100)], 90, [voidOf('Z', T0 + 45_000)]);
  assert.deepEqual(play(rule(), CHECKOUT_ZONES, tooLate), [], 'bagged 43 s before, lookback 30 s');
  assert.deepEqual(play(rule(), CHECKOUT_ZONES, [{ pos: [voidOf(null, T0)] }, ...idle(30)]), [], 'nothing bagged');
});

test('void_after_bagging: a void whose item’s sale line is known but tied to no bagged product blames no other product', () => {
  const frames = withPos(withPos([...scannedPath(1), ...idle(60)], 40, [pos('sale', T0 + 20_000, { itemId: 'Q' })]), 44, [voidOf('Q', T0 + 22_000)]);
  assert.deepEqual(play(rule(), CHECKOUT_ZONES, frames), []);
});

test('void_after_bagging: the void arriving before its (late) sale line still ties to the sale', () => {
  const frames = withPos([...scannedPath(1), ...idle(40)], 10, [voidOf('A', T0 + 4000), saleA]);
  const hits = play(rule(), CHECKOUT_ZONES, frames);
  assert.equal(hits.length, 1);
  assert.equal(hits[0]?.attributes['method'], 'matched_sale');
});

test('void_after_bagging: another lane’s void is ignored; a resent void is one hit; the cooldown holds the lane', () => {
  const elsewhere = withPos([...scannedPath(1), ...idle(40)], 12, [{ ...voidOf('A', T0 + 6000), laneId: 'lane-2' }]);
  assert.deepEqual(play(rule(), CHECKOUT_ZONES, elsewhere), []);
  const resent = withPos(withPos([...scannedPath(1), ...idle(40)], 12, [voidOf('Z', T0 + 6000)]), 30, [voidOf('Z', T0 + 6000)]);
  assert.equal(play(rule(), CHECKOUT_ZONES, resent).length, 1);
  const two = withPos([...oneAfterAnother(1, 2), ...idle(40)], 14, [voidOf('X', T0 + 6500, '1'), voidOf('Y', T0 + 7000, '2')]);
  assert.equal(play(rule(), CHECKOUT_ZONES, two).length, 1, 'default cooldown 10 s');
  assert.equal(play(rule({ cooldownSeconds: 0 }), CHECKOUT_ZONES, two).length, 2, 'each bagged product explains one void');
});

test('void_after_bagging: reset forgets what was bagged', () => {
  const r = rule();
  play(r, CHECKOUT_ZONES, scannedPath(1));
  r.reset?.();
  assert.deepEqual(play(r, CHECKOUT_ZONES, [{ pos: [voidOf('Z', T0 + 4000)] }, ...idle(30)], T0 + 3000), []);
});
