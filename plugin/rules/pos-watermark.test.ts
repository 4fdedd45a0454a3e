import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PosWatermark } from './pos-watermark.js';
import { LANE, T0, pos } from './testing/scene.js';

const ownLane = (e: { laneId: string | null }) => e.laneId === LANE;
const line = (at: number, sequenceNumber: string, laneId = LANE) => pos('sale', at, { sequenceNumber, laneId });

test('pos watermark: an in-order stream is past t once a line stamped after t plus the floor arrived', () => {
  const w = new PosWatermark(ownLane, { keepMs: 60_000, minLatenessMs: 500 });
  assert.equal(w.isPast(T0), false, 'nothing heard');
  w.add([line(T0 + 400, '1')], T0 + 400);
  assert.equal(w.isPast(T0), false, 'within the floor');
  w.add([line(T0 + 600, '2'), line(T0 + 9000, '3', 'lane-2')], T0 + 600);
  assert.equal(w.isPast(T0), true);
  assert.equal(w.isPast(T0 + 200), false, 'another lane moves nothing');
});

test('pos watermark: a line behind the stream widens the allowance for keepMs; a resend is no lateness', () => {
  const w = new PosWatermark(ownLane, { keepMs: 10_000, minLatenessMs: 0 });
  w.add([line(T0 + 5000, '1')], T0 + 5000);
  w.add([line(T0 + 5000, '1')], T0 + 6000);
  assert.equal(w.allowanceMs, 0, 'the same line again');
  w.add([line(T0 + 2000, '2')], T0 + 6000);
  assert.equal(w.allowanceMs, 3000);
  assert.equal(w.isPast(T0 + 1000), true);
  assert.equal(w.isPast(T0 + 2500), false);
  w.add([line(T0 + 17_000, '3')], T0 + 17_000);
  assert.equal(w.allowanceMs, 0, 'forgotten after keepMs');
  w.reset();
  assert.equal(w.isPast(T0), false);
});
