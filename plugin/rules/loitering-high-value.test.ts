import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ZoneDwellTracker, type Zone } from '../tracking/index.js';
import type { RuleHit } from './rule.js';
import { createRule } from './rule-registry.js';
import { FRAME, T0, input, personAt, rect, track, type TrackSpec } from './testing/scene.js';

const env = { timezone: 'UTC' };
const ZONES: readonly Zone[] = [rect('spirits', 'high_value', 0, 0.5, 0.5, 1)];
const inside = personAt(3, 0.25, 0.9);
const outside = personAt(3, 0.8, 0.9);

/** One frame a second through the zone tracker (which opens the visits) and the rule. */
function run(config: Record<string, unknown>, frames: ReadonlyArray<readonly TrackSpec[]>, rule = createRule('loitering_high_value', config, env), start = T0): RuleHit[] {
  const zones = new ZoneDwellTracker(ZONES);
  return frames.flatMap((specs, s) => {
    const at = start + s * 1000;
    zones.update(specs.map((t) => track(t, at)), [], { ...FRAME, timestamp: at });
    return rule.evaluate(input(at, ZONES, { tracks: specs, visits: zones.current() }));
  });
}
const seconds = (n: number, spec: TrackSpec): TrackSpec[][] => Array.from({ length: n }, () => [spec]);

test('loitering_high_value: a person staying over 60 s in a high-value zone fires once', () => {
  const hits = run({}, seconds(90, inside));
  assert.equal(hits.length, 1);
  const [hit] = hits;
  assert.equal(hit?.rule, 'loitering_high_value');
  assert.equal(hit?.zone, 'spirits');
  assert.equal(hit?.at, T0 + 60_000);
  assert.deepEqual(hit?.evidence, { from: T0, to: T0 + 60_000 });
  assert.match(hit?.dedupKey ?? '', /^loitering_high_value:/);
  assert.match(hit?.explanation ?? '', /person 3 has stayed in the high-value zone spirits for 60 s, longer than 60 s/);
});

test('loitering_high_value: a short stay, a stay elsewhere or a staff label raises nothing', () => {
  assert.deepEqual(run({}, [...seconds(40, inside), ...seconds(40, outside)]), []);
  assert.deepEqual(run({}, seconds(90, outside)), []);
  assert.deepEqual(run({}, seconds(90, { ...inside, label: 'staff' })), []);
});

test('loitering_high_value: the cooldown holds the zone across visits; reset forgets the visit', () => {
  const twoVisits = [...seconds(15, inside), ...seconds(2, outside), ...seconds(15, inside)];
  assert.equal(run({ minSeconds: 10 }, twoVisits).length, 1, 'default cooldown 60 s');
  assert.equal(run({ minSeconds: 10, cooldownSeconds: 0 }, twoVisits).length, 2);
  const rule = createRule('loitering_high_value', { minSeconds: 10 }, env);
  assert.equal(run({}, seconds(15, inside), rule).length, 1);
  assert.equal(run({}, seconds(15, inside), rule, T0 + 20_000).length, 0, 'within the zone’s cooldown');
  rule.reset?.();
  assert.equal(run({}, seconds(15, inside), rule, T0 + 40_000).length, 1, 'a restarted stream starts afresh');
});
