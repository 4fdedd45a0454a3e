import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '../../contracts/index.js';
import { createRule, parseRuleSettings } from './rule-registry.js';
import { FRAME, T0, rect, track } from './testing/scene.js';
import type { RuleHit } from './rule.js';

const zone = rect('bay', 'high_value', 0, 0, 1, 1);
const env = { timezone: 'UTC' };

/** Three people, scored 0.5, 0.7 and 0.9, each staying 20 s in the zone: three dwell hits when nothing filters them. */
function hitsWith(settings: Record<string, unknown>): RuleHit[] {
  const rule = createRule('zone_dwell', { zoneType: 'high_value', minSeconds: 10, ...settings }, env);
  const people = [{ id: 1, score: 0.5 }, { id: 2, score: 0.7 }, { id: 3, score: 0.9 }];
  const hits: RuleHit[] = [];
  for (let s = 0; s <= 20; s += 1) {
    const at = T0 + s * 1000;
    const tracks = people.map((p) => track({ id: p.id, label: 'person', box: [100 * p.id, 100, 100 * p.id + 50, 400], score: p.score }, at));
    const visits = people.map((p) => ({ trackId: p.id, label: 'person', zone: 'bay', zoneType: 'high_value' as const, enteredAt: T0, exitedAt: undefined }));
    hits.push(...rule.evaluate({ at, frame: FRAME, tracks, removed: [], visits, zones: [zone], pos: [] }));
  }
  return hits;
}

test('minConfidence, a setting of every rule type, drops the hits scored below it and nothing else', () => {
  assert.deepEqual(hitsWith({}).map((h) => h.trackId), [1, 2, 3]);
  assert.deepEqual(hitsWith({ minConfidence: 0.7 }).map((h) => h.trackId), [2, 3]);
  assert.deepEqual(hitsWith({ minConfidence: 0.95 }).map((h) => h.trackId), []);
  assert.deepEqual(hitsWith({ minConfidence: 0 }).map((h) => h.trackId), [1, 2, 3]);
});

test('minConfidence is checked like the rule\'s own settings: out of range or not a number is refused', () => {
  for (const bad of [1.5, -0.1, 'high']) {
    assert.throws(() => createRule('zone_dwell', { zoneType: 'high_value', minSeconds: 10, minConfidence: bad }, env), (e: unknown) => isAppError(e) && e.code === 'config_invalid' && /minConfidence/.test(e.message));
    const parsed = parseRuleSettings('zone_dwell', { zoneType: 'high_value', minSeconds: 10, minConfidence: bad });
    assert.equal(parsed.success, false);
    if (!parsed.success) assert.deepEqual(parsed.issues.map((i) => i.path[0]), ['minConfidence']);
  }
  const parsed = parseRuleSettings('zone_dwell', { zoneType: 'high_value', minSeconds: 10, minConfidence: 0.6 });
  assert.equal(parsed.success, true);
  if (parsed.success) assert.equal((parsed.data as { minConfidence: number }).minConfidence, 0.6);
  // The rule's own schema still refuses what it does not know.
  assert.equal(parseRuleSettings('zone_dwell', { zoneType: 'high_value', minSeconds: 10, minConfidenc: 0.6 }).success, false);
});
