import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectionEventSchema, type Id } from '../../contracts/index.js';
import { buildEvent } from '../../test/support/factories.js';
import { assignIncidents, type MergeableIncident } from './incident-merger.js';

const placement = () => ({ storeId: 'sto_0000000000aaaaaaaaaaaaaaaa', regionId: 'reg_x', laneId: null, mergeWindowMs: 30_000 });
const event = (cameraId: string, at: string, type: 'zone_dwell' | 'concealment' = 'zone_dwell', severity: 'low' | 'high' = 'low') =>
  detectionEventSchema.parse(buildEvent({ cameraId, storeId: 'sto_0000000000aaaaaaaaaaaaaaaa', occurredAt: at, type, severity }));
const CAM1 = 'cam_0000000000aaaaaaaaaaaaaaa1';
const CAM2 = 'cam_0000000000aaaaaaaaaaaaaaa2';

test('events out of order still merge; another camera or type opens its own incident', () => {
  const events = [event(CAM1, '2026-01-01T00:00:20Z'), event(CAM1, '2026-01-01T00:00:00Z'), event(CAM2, '2026-01-01T00:00:05Z'), event(CAM1, '2026-01-01T00:00:10Z', 'concealment')];
  const { assignment, incidents } = assignIncidents(events, [], placement);
  assert.equal(incidents.length, 3);
  assert.equal(assignment.get(events[0]!.id), assignment.get(events[1]!.id));
  const merged = assignment.get(events[0]!.id)!;
  assert.equal(merged.eventCount, 2);
  assert.equal(merged.openedAt.toISOString(), '2026-01-01T00:00:00.000Z');
  assert.equal(merged.lastEventAt.toISOString(), '2026-01-01T00:00:20.000Z');
});

test('an open incident absorbs events within the window and takes the highest severity', () => {
  const open: MergeableIncident = {
    id: 'inc_existing', storeId: 's', regionId: 'r', laneId: null, cameraId: CAM1, type: 'zone_dwell', severity: 'low', confidence: 0.5,
    eventCount: 3, openedAt: new Date('2026-01-01T00:00:00Z'), lastEventAt: new Date('2026-01-01T00:01:00Z'), programId: null, shadow: false, isNew: false, touched: false,
  };
  const inside = event(CAM1, '2026-01-01T00:01:25Z', 'zone_dwell', 'high');
  const outside = event(CAM1, '2026-01-01T00:03:00Z');
  const { assignment, incidents } = assignIncidents([inside, outside], [open], placement);
  assert.equal(assignment.get(inside.id)?.id, 'inc_existing');
  assert.notEqual(assignment.get(outside.id)?.id, 'inc_existing');
  assert.equal(open.severity, 'high');
  assert.equal(open.eventCount, 4);
  assert.equal(incidents.filter((i) => i.isNew).length, 1);
});

test("a pilot program's hits open incidents of their own, shadow when the program runs in shadow", () => {
  const program = 'prg_06h4wc1dayjq12jcjn0rrsbd8w';
  const own = event(CAM1, '2026-01-01T00:00:00Z');
  const piloted = { ...event(CAM1, '2026-01-01T00:00:05Z'), program: { id: program as Id<'program'>, mode: 'shadow' as const, version: 1 } };
  const { assignment, incidents } = assignIncidents([own, piloted], [], () => ({ storeId: 's', regionId: 'r', laneId: null, mergeWindowMs: 60_000 }), new Map([[program, 'shadow' as const]]));
  assert.equal(incidents.length, 2, 'the program hit does not merge into the store rule hit');
  assert.deepEqual([assignment.get(own.id)?.shadow, assignment.get(own.id)?.programId], [false, null]);
  assert.deepEqual([assignment.get(piloted.id)?.shadow, assignment.get(piloted.id)?.programId], [true, program]);
});
