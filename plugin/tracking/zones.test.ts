import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Track } from './track.js';
import { ZoneDwellTracker } from './zone-dwell-tracker.js';
import type { Zone } from './zones.js';
import { anchorPoint, DEFAULT_CENTRE_LABELS, zoneSchema, zonesAt } from './zones.js';

const frame = { width: 1000, height: 500 };
const centre = new Set(DEFAULT_CENTRE_LABELS);
// The lower-left quarter of the picture: the floor in front of the scanner.
const scanner: Zone = { name: 'lane-1-scanner', type: 'scanner', polygon: [[0, 0.5], [0.5, 0.5], [0.5, 1], [0, 1]] };
const exit: Zone = { name: 'door', type: 'exit', polygon: [[0.8, 0], [1, 0], [1, 1], [0.8, 1]] };

test('a person is in a zone by the bottom-centre of the box, a hand by its centre', () => {
  // Box from y=100 to y=300 (normalised 0.2..0.6): centre outside the zone (0.4), feet inside (0.6).
  const box = [100, 100, 300, 300] as const;
  assert.deepEqual(anchorPoint('person', box, frame, centre), [0.2, 0.6]);
  assert.deepEqual(zonesAt(anchorPoint('person', box, frame, centre), [scanner, exit]).map((z) => z.name), ['lane-1-scanner']);
  assert.deepEqual(anchorPoint('hand', box, frame, centre), [0.2, 0.4]);
  assert.deepEqual(zonesAt(anchorPoint('hand', box, frame, centre), [scanner, exit]), []);
});

test('zone definitions are validated: type from the list, at least 3 normalised vertices', () => {
  assert.equal(zoneSchema.safeParse(scanner).success, true);
  assert.equal(zoneSchema.safeParse({ ...scanner, type: 'parking' }).success, false);
  assert.equal(zoneSchema.safeParse({ ...scanner, polygon: [[0, 0], [1, 1]] }).success, false);
  assert.equal(zoneSchema.safeParse({ ...scanner, polygon: [[0, 0], [1.5, 0], [1, 1]] }).success, false);
});

function track(id: number, x: number, at: number, overrides: Partial<Track> = {}): Track {
  const box = [x, 300, x + 50, 450] as const;
  return {
    id, label: 'person', classId: 0, state: 'confirmed', box, score: 0.8, meanScore: 0.8, hits: 5, missedFrames: 0,
    firstSeenAt: 0, lastSeenAt: at, lastDetection: { label: 'person', classId: 0, score: 0.8, box }, ...overrides,
  };
}

test('dwell tracking records enter and exit times per track and zone', () => {
  const dwell = new ZoneDwellTracker([scanner, exit]);
  assert.deepEqual(dwell.update([track(7, 600, 1000)], [], { ...frame, timestamp: 1000 }), []);
  const entered = dwell.update([track(7, 100, 2000)], [], { ...frame, timestamp: 2000 });
  assert.deepEqual(entered.map((t) => [t.kind, t.visit.zone, t.visit.enteredAt]), [['enter', 'lane-1-scanner', 2000]]);
  // A missed frame is not a departure, and a tentative track is not counted at all.
  assert.deepEqual(dwell.update([track(7, 900, 3000, { missedFrames: 1 }), track(8, 100, 3000, { state: 'tentative' })], [], { ...frame, timestamp: 3000 }), []);
  const moved = dwell.update([track(7, 900, 4000)], [], { ...frame, timestamp: 4000 });
  assert.deepEqual(moved.map((t) => [t.kind, t.visit.zone, t.visit.enteredAt, t.visit.exitedAt]), [['exit', 'lane-1-scanner', 2000, 4000], ['enter', 'door', 4000, undefined]]);
  const gone = dwell.update([], [track(7, 900, 4500, { missedFrames: 31 })], { ...frame, timestamp: 7000 });
  assert.deepEqual(gone.map((t) => [t.kind, t.visit.zone, t.visit.exitedAt]), [['exit', 'door', 4500]]);
  assert.deepEqual(dwell.current(), []);
  assert.deepEqual(dwell.history(7).map((v) => [v.zone, v.exitedAt! - v.enteredAt]), [['lane-1-scanner', 2000], ['door', 500]]);
});
