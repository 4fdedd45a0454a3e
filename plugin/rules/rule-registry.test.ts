import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EVENT_TYPES } from '../../contracts/index.js';
import { createRule, ruleNames } from './rule-registry.js';

const RULES = ['scan_avoidance', 'sweethearting', 'concealment', 'no_sale_drawer_open', 'refund_no_customer', 'void_after_bagging', 'push_out', 'loitering_high_value', 'sweep'];

test('every loss-prevention rule is registered under its event type and builds from defaults', () => {
  for (const name of RULES) {
    assert.ok((EVENT_TYPES as readonly string[]).includes(name), `${name} is an event type`);
    assert.ok(ruleNames().includes(name), `${name} is registered`);
    const rule = createRule(name, {}, { timezone: 'UTC', laneId: 'lane-1' });
    assert.equal(rule.name, name);
    assert.equal(typeof rule.reset, 'function');
  }
});

test('every rule takes severity and cooldownSeconds and refuses unknown settings', () => {
  for (const name of RULES) {
    assert.doesNotThrow(() => createRule(name, { severity: 'critical', cooldownSeconds: 0 }, { timezone: 'UTC' }));
    assert.throws(() => createRule(name, { severity: 'urgent' }, { timezone: 'UTC' }), /severity/);
    assert.throws(() => createRule(name, { cooldownSeconds: -1 }, { timezone: 'UTC' }), /cooldownSeconds/);
    assert.throws(() => createRule(name, { surprise: true }, { timezone: 'UTC' }), /surprise/);
  }
});
