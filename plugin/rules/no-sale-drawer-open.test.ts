import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRule } from './rule-registry.js';
import { CASHIER_ONLY as cashierOnly, CUSTOMER_AT_LANE as customer, LANE_ZONES as ZONES } from './testing/lane-people.js';
import { LANE, T0, idle, play, pos } from './testing/scene.js';

const env = { timezone: 'UTC', laneId: LANE };

for (const [name, kind] of [['no_sale_drawer_open', 'no_sale'], ['no_sale_drawer_open', 'drawer_open']] as const) {
  test(`${name}: a ${kind} with only the cashier present fires once the grace has passed`, () => {
    const frames = [{ ...cashierOnly, pos: [pos(kind, T0 + 10_000)] }, ...idle(40, cashierOnly)];
    const hits = play(createRule(name, {}, env), ZONES, frames);
    assert.equal(hits.length, 1);
    const [hit] = hits;
    assert.equal(hit?.rule, name);
    assert.equal(hit?.at, T0 + 15_000, 'decided when the frame at +10 s + 5 s grace was seen');
    assert.deepEqual(hit?.evidence, { from: T0 + 5000, to: T0 + 15_000 });
    assert.equal(hit?.pos[0]?.kind, kind);
    assert.equal(hit?.severity, 'high');
    assert.match(hit?.explanation ?? '', new RegExp(`${kind.replace('_', ' ')} \\(lane lane-1, transaction 1001, operator op-7\\) while nobody was in the customer area`));
  });

  test(`${name}: a ${kind} with a customer at the lane raises nothing`, () => {
    const frames = [{ ...customer, pos: [pos(kind, T0 + 10_000)] }, ...idle(40, customer)];
    assert.deepEqual(play(createRule(name, {}, env), ZONES, frames), []);
  });
}

test('no_sale_drawer_open: a customer seen within the grace window counts as present', () => {
  // Customer frames 0..23 (until +11.5 s); the no-sale at +15 s is within 5 s of the last sighting.
  const frames = [...idle(24, customer), ...idle(40, cashierOnly)];
  frames[0] = { ...customer, pos: [pos('no_sale', T0 + 15_000)] };
  assert.deepEqual(play(createRule('no_sale_drawer_open', {}, env), ZONES, frames), []);
});

test('no_sale_drawer_open: a late-arriving no-sale is judged against the presence at its own time', () => {
  // The customer leaves at +20 s; the no-sale rung at +30 s arrives at +60 s; another rung at +5 s arrives too.
  const frames = [...idle(40, customer), ...idle(80, cashierOnly)];
  frames[120] = { pos: [pos('no_sale', T0 + 30_000, { sequenceNumber: '2' }), pos('no_sale', T0 + 5000, { sequenceNumber: '1' })] };
  const hits = play(createRule('no_sale_drawer_open', { cooldownSeconds: 0 }, env), ZONES, frames);
  assert.equal(hits.length, 1);
  assert.equal(hits[0]?.pos[0]?.sequenceNumber, '2');
});

test('no_sale_drawer_open: an event from before the camera saw the lane, or another lane, is not judged', () => {
  const early = [{ ...cashierOnly, pos: [pos('no_sale', T0 - 60_000)] }, ...idle(40, cashierOnly)];
  assert.deepEqual(play(createRule('no_sale_drawer_open', {}, env), ZONES, early), []);
  const elsewhere = [{ ...cashierOnly, pos: [pos('no_sale', T0 + 10_000, { laneId: 'lane-2' })] }, ...idle(40, cashierOnly)];
  assert.deepEqual(play(createRule('no_sale_drawer_open', {}, env), ZONES, elsewhere), []);
});

test('no_sale_drawer_open: a resent event is one hit; the cooldown drops a second no-sale on the lane', () => {
  const event = pos('no_sale', T0 + 10_000);
  const frames = [{ pos: [event] }, ...idle(40, cashierOnly)];
  frames[30] = { pos: [event, pos('drawer_open', T0 + 12_000, { sequenceNumber: '9' })] };
  assert.equal(play(createRule('no_sale_drawer_open', {}, env), ZONES, frames).length, 1);
  assert.equal(play(createRule('no_sale_drawer_open', { cooldownSeconds: 0 }, env), ZONES, frames).length, 2);
});
