import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LanePosEvent, PosLaneEvent } from '../../contracts/index.js';
import { LanePosHub } from './lane-pos-hub.js';
import type { PosEventMeta } from './pos-event-sink.js';
import { LANE_A, LANE_B, posConfig } from './testing/pos-test-kit.js';

const event = (workstationId: string, posTime: number): PosLaneEvent => ({
  workstationId, kind: 'no_sale', posTime, sequenceNumber: null, operatorId: '117', itemId: null, description: null, quantity: null, amount: null, raw: null,
});
const timed: PosEventMeta = { timeBase: 'pos', isScanPrecise: false, receivedAt: 0, source: 'test' };

test('drain per lane or for all in arrival order; each event once; subscribers hear every event and one that throws is counted', () => {
  const hub = new LanePosHub(posConfig({ lanes: [{ workstationId: '1', laneId: LANE_A, offsetMs: 1_000 }, { workstationId: '2', laneId: LANE_B, offsetMs: -1_000 }] }));
  const heard: LanePosEvent[] = [];
  const off = hub.subscribe((e) => heard.push(e));
  hub.subscribe(() => {
    throw new Error('a broken subscriber');
  });
  for (const [ws, t] of [['1', 10_000], ['2', 20_000], ['1', 30_000], ['9', 40_000]] as const) hub.accept(event(ws, t), timed);
  assert.deepEqual(hub.drain(LANE_B).map((e) => [e.laneId, e.at]), [[LANE_B, 21_000]]);
  assert.deepEqual(hub.drain().map((e) => [e.laneId, e.at]), [[LANE_A, 9_000], [LANE_A, 29_000]]);
  assert.deepEqual(hub.drain(), []);
  assert.equal(heard.length, 3);
  assert.equal(hub.health().listenerErrors, 3);
  assert.deepEqual(hub.health().unknownWorkstations, { '9': 1 });
  off();
  hub.accept(event('1', 50_000), timed);
  assert.equal(heard.length, 3);
});

test('an undrained lane keeps the newest queueLimit events and counts the dropped ones', () => {
  const hub = new LanePosHub(posConfig({ lanes: [{ workstationId: '1', laneId: LANE_A }], queueLimit: 10 }));
  for (let i = 0; i < 25; i += 1) hub.accept(event('1', i * 1_000), timed);
  const lane = hub.health().lanes[0];
  assert.deepEqual([lane?.events, lane?.queued, lane?.dropped], [25, 10, 15]);
  assert.deepEqual(hub.drain(LANE_A).map((e) => e.posTime), Array.from({ length: 10 }, (_, i) => (i + 15) * 1_000));
});

test('an event stamped on arrival lands at its arrival on the camera clock, whatever the offset', () => {
  const hub = new LanePosHub(posConfig({ lanes: [{ workstationId: '1', laneId: LANE_A, offsetMs: 30_000 }] }));
  hub.accept(event('1', 5_000), { timeBase: 'received', isScanPrecise: false, receivedAt: 5_000, source: 'test' });
  const [e] = hub.drain();
  assert.deepEqual([e?.at, e?.posTime], [5_000, 35_000]);
});
