import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Detection } from '../../contracts/index.js';
import { isAppError } from '../../contracts/index.js';
import type { Zone } from '../tracking/index.js';
import { ByteTracker, ZoneDwellTracker } from '../tracking/index.js';
import type { RuleHit } from './rule.js';
import { createRule } from './rule-registry.js';

const frame = { width: 640, height: 360 };
const scanner: Zone = { name: 'lane-2-scanner', type: 'scanner', polygon: [[0, 0.5], [0.5, 0.5], [0.5, 1], [0, 1]] };
const store = { timezone: 'America/New_York' };

/** A person standing at x (pixels), feet at y=300: inside the scanner zone (x < 320) while x + 20 < 320. */
const personAt = (x: number): Detection => ({ label: 'person', classId: 0, score: 0.8, box: [x, 100, x + 40, 300] });

/** Runs tracker -> zones -> rule over one position per second from `start`; returns the hits. */
function run(rule: ReturnType<typeof createRule>, start: number, positions: readonly number[]): RuleHit[] {
  const tracker = new ByteTracker();
  const dwell = new ZoneDwellTracker([scanner]);
  const hits: RuleHit[] = [];
  positions.forEach((x, s) => {
    const at = start + s * 1000;
    const { tracks, removed } = tracker.update(x < 0 ? [] : [personAt(x)], at);
    dwell.update(tracks, removed, { ...frame, timestamp: at });
    hits.push(...rule.evaluate({ at, frame, tracks, removed, visits: dwell.current(), zones: [scanner], pos: [] }));
  });
  return hits;
}

// 15:00 UTC on 15 January 2026 is 10:00 in New York (EST, UTC-5).
const tenAm = Date.UTC(2026, 0, 15, 15, 0);
const walkIn = [380, 365, 350, 335, 320, 305]; // small steps (the tracker follows), feet still outside the zone
const OUT = 305;
const stay = (seconds: number): number[] => Array.from({ length: seconds }, () => 290);

test('zone_dwell fires once, after the person has stayed minSeconds in the zone', () => {
  const rule = createRule('zone_dwell', { zoneType: 'scanner', minSeconds: 10 }, store);
  const hits = run(rule, tenAm, [...walkIn, ...stay(40)]);
  assert.equal(hits.length, 1);
  const [hit] = hits;
  assert.equal(hit?.rule, 'zone_dwell');
  assert.equal(hit?.zone, 'lane-2-scanner');
  assert.equal(hit?.zoneType, 'scanner');
  assert.equal(hit?.label, 'person');
  // Confirmed while walking in; first frame in the zone is index 6: entered at +6 s, fired 10 s later.
  assert.equal(hit?.since, tenAm + 6000);
  assert.equal(hit?.at, tenAm + 16_000);
  assert.ok(Math.abs((hit?.confidence ?? 0) - 0.8) < 1e-9);
  assert.deepEqual(hit?.detections, [{ label: 'person', score: 0.8, box: [290 / 640, 100 / 360, 330 / 640, 300 / 360], trackId: hit?.trackId }]);
});

test('zone_dwell fires again for a new visit, not for a short one', () => {
  const rule = createRule('zone_dwell', { zoneType: 'scanner', minSeconds: 10 }, store);
  const hits = run(rule, tenAm, [...walkIn, ...stay(12), OUT, OUT, ...stay(5), OUT, ...stay(11)]);
  assert.equal(hits.length, 2);
  assert.notEqual(hits[0]?.since, hits[1]?.since);
});

test('zone_dwell ignores other classes and zone types', () => {
  const forCarts = createRule('zone_dwell', { zoneType: 'scanner', labels: ['cart'], minSeconds: 5 }, store);
  assert.equal(run(forCarts, tenAm, [...walkIn, ...stay(20)]).length, 0);
  const forExits = createRule('zone_dwell', { zoneType: 'exit', minSeconds: 5 }, store);
  assert.equal(run(forExits, tenAm, [...walkIn, ...stay(20)]).length, 0);
});

test('zone_dwell respects the hours in the store’s timezone, including windows past midnight', () => {
  const evening = { zoneType: 'scanner' as const, minSeconds: 5, hours: { from: '18:00', to: '22:00' } };
  assert.equal(run(createRule('zone_dwell', evening, store), tenAm, [...walkIn, ...stay(20)]).length, 0, '10:00 is outside 18-22');
  const sevenPm = Date.UTC(2026, 0, 16, 0, 0); // 19:00 in New York, already the 16th in UTC
  assert.equal(run(createRule('zone_dwell', evening, store), sevenPm, [...walkIn, ...stay(20)]).length, 1);
  assert.equal(run(createRule('zone_dwell', evening, { timezone: 'Europe/Berlin' }), sevenPm, [...walkIn, ...stay(20)]).length, 0, '01:00 in Berlin');
  const night = { zoneType: 'scanner' as const, minSeconds: 5, hours: { from: '22:00', to: '06:00' } };
  assert.equal(run(createRule('zone_dwell', night, store), Date.UTC(2026, 0, 16, 4, 30), [...walkIn, ...stay(20)]).length, 1, '23:30');
  assert.equal(run(createRule('zone_dwell', night, store), tenAm, [...walkIn, ...stay(20)]).length, 0, '10:00');
});

test('bad rule configs are refused with config_invalid', () => {
  const refused = (fn: () => unknown, pattern: RegExp): void => {
    assert.throws(fn, (e) => isAppError(e) && e.code === 'config_invalid' && pattern.test(e.message));
  };
  refused(() => createRule('loitering', {}, store), /unknown rule loitering/);
  refused(() => createRule('zone_dwell', { zoneType: 'scanner', minSeconds: 10 }, { timezone: 'Mars/Olympus' }), /timezone/);
  refused(() => createRule('zone_dwell', { zoneType: 'parking', minSeconds: 10 }, store), /zoneType/);
  refused(() => createRule('zone_dwell', { zoneType: 'scanner', minSeconds: 10, hours: { from: '25:00', to: '06:00' } }, store), /HH:MM/);
});
