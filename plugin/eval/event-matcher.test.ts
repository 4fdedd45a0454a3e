import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchScenario, precisionOf, recallOf, type RaisedAlarm } from './event-matcher.js';

const incident = { type: 'scan_avoidance', startMs: 10_000, endMs: 12_000 };
const alarm = (over: Partial<RaisedAlarm> = {}): RaisedAlarm => ({ id: 'evt_1', type: 'scan_avoidance', atMs: 18_000, fromMs: 9_500, toMs: 12_500, arrivedMs: 18_300, ...over });

test('an alarm whose evidence overlaps the incident and that reached the VMS is a true positive, its latency from the incident end', () => {
  const m = matchScenario([incident], [alarm()], ['scan_avoidance'], 3_000);
  assert.deepEqual(m.rules.scan_avoidance, { tp: 1, fp: 0, fn: 0 });
  assert.deepEqual(m.latenciesMs, [6_300]);
});

test('an alarm that never reached the VMS receiver leaves its incident a false negative', () => {
  const m = matchScenario([incident], [alarm({ arrivedMs: null })], ['scan_avoidance'], 3_000);
  assert.deepEqual(m.rules.scan_avoidance, { tp: 0, fp: 0, fn: 1 });
  assert.equal(m.undelivered, 1);
  assert.deepEqual(m.latenciesMs, []);
});

test('no alarm at all is a false negative; a pipeline that raised nothing scores recall 0', () => {
  const m = matchScenario([incident], [], ['scan_avoidance'], 3_000);
  assert.deepEqual(m.rules.scan_avoidance, { tp: 0, fp: 0, fn: 1 });
  assert.equal(recallOf(m.rules.scan_avoidance ?? { tp: 0, fp: 0, fn: 0 }), 0);
  assert.equal(precisionOf(m.rules.scan_avoidance ?? { tp: 0, fp: 0, fn: 0 }), null);
});

test('a second alarm for one incident, one far from any incident and one of another type are false positives', () => {
  const m = matchScenario([incident], [
    alarm(), alarm({ id: 'evt_2' }), alarm({ id: 'evt_3', fromMs: 40_000, toMs: 42_000 }), alarm({ id: 'evt_4', type: 'concealment' }),
  ], ['scan_avoidance'], 3_000);
  assert.deepEqual(m.rules.scan_avoidance, { tp: 1, fp: 2, fn: 0 });
  assert.deepEqual(m.rules.concealment, { tp: 0, fp: 1, fn: 0 });
});

test('the tolerance widens the incident on both sides, no further', () => {
  assert.equal(matchScenario([incident], [alarm({ fromMs: 14_900, toMs: 16_000 })], [], 3_000).rules.scan_avoidance?.tp, 1);
  assert.equal(matchScenario([incident], [alarm({ fromMs: 15_100, toMs: 16_000 })], [], 3_000).rules.scan_avoidance?.tp, 0);
});

test('a detected incident’s latency splits into the way to the rule’s decision, its wait, queueing and delivery', () => {
  const m = matchScenario([incident], [alarm({ queuedMs: 18_100, ruleWaitMs: 4_500 })], ['scan_avoidance'], 3_000);
  assert.deepEqual(m.latencies, [{ totalMs: 6_300, toDecisionMs: 6_000, ruleWaitMs: 4_500, queueMs: 100, deliveryMs: 200 }]);
  const unsplit = matchScenario([incident], [alarm()], ['scan_avoidance'], 3_000).latencies[0];
  assert.deepEqual(unsplit, { totalMs: 6_300, toDecisionMs: 6_000, ruleWaitMs: null, queueMs: null, deliveryMs: null });
});
