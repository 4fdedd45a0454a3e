import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRule } from './rule-registry.js';
import { CASHIER_ONLY, CUSTOMER_AT_LANE, LANE_ZONES } from './testing/lane-people.js';
import { LANE, T0, idle, play, pos } from './testing/scene.js';

const env = { timezone: 'UTC', laneId: LANE };
const rule = (config: Record<string, unknown> = {}) => createRule('refund_no_customer', config, env);
const refund = (at: number, seq = '1001') => pos('refund', at, { sequenceNumber: seq, amount: -49.99 });

test('refund_no_customer: a refund with only the cashier at the lane fires once the grace has passed', () => {
  const hits = play(rule(), LANE_ZONES, [{ ...CASHIER_ONLY, pos: [refund(T0 + 10_000)] }, ...idle(40, CASHIER_ONLY)]);
  assert.equal(hits.length, 1);
  const [hit] = hits;
  assert.equal(hit?.at, T0 + 15_000);
  assert.deepEqual(hit?.evidence, { from: T0 + 5000, to: T0 + 15_000 });
  assert.equal(hit?.pos[0]?.amount, -49.99);
  assert.equal(hit?.attributes['amount'], -49.99);
  assert.match(hit?.explanation ?? '', /^POS refund \(lane lane-1, transaction 1001, operator op-7\) while nobody was in the customer area/);
});

test('refund_no_customer: a refund with a customer at the lane, or a no-sale, raises nothing', () => {
  assert.deepEqual(play(rule(), LANE_ZONES, [{ ...CUSTOMER_AT_LANE, pos: [refund(T0 + 10_000)] }, ...idle(40, CUSTOMER_AT_LANE)]), []);
  assert.deepEqual(play(rule(), LANE_ZONES, [{ ...CASHIER_ONLY, pos: [pos('no_sale', T0 + 10_000)] }, ...idle(40, CASHIER_ONLY)]), []);
});

test('refund_no_customer: refunds arriving late and out of order are each judged at their own time', () => {
  // Customer until +20 s, then only the cashier; both refunds arrive at +60 s, the later one first.
  const frames = [...idle(40, CUSTOMER_AT_LANE), ...idle(90, CASHIER_ONLY)];
  frames[120] = { ...CASHIER_ONLY, pos: [refund(T0 + 40_000, '2'), refund(T0 + 10_000, '1')] };
  const hits = play(rule(), LANE_ZONES, frames);
  assert.deepEqual(hits.map((h) => h.pos[0]?.sequenceNumber), ['2']);
});

test('refund_no_customer: the cooldown holds the lane; a resent refund is one hit', () => {
  const frames = [{ ...CASHIER_ONLY, pos: [refund(T0 + 10_000, '1'), refund(T0 + 12_000, '2')] }, ...idle(40, CASHIER_ONLY)];
  frames[35] = { ...CASHIER_ONLY, pos: [refund(T0 + 10_000, '1')] };
  assert.equal(play(rule(), LANE_ZONES, frames).length, 1, 'default cooldown 30 s');
  assert.equal(play(rule({ cooldownSeconds: 0 }), LANE_ZONES, frames).length, 2);
});

test('refund_no_customer: reset forgets the presence seen and the refunds waiting', () => {
  const r = rule();
  play(r, LANE_ZONES, [{ ...CASHIER_ONLY, pos: [refund(T0 + 2000)] }, ...idle(5, CASHIER_ONLY)]);
  r.reset?.();
  assert.deepEqual(play(r, LANE_ZONES, idle(40, CASHIER_ONLY), T0 + 3000), [], 'the refund was forgotten; the restarted stream starts after it');
});
