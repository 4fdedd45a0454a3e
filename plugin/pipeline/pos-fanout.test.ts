import assert from 'node:assert/strict';
import { test } from 'node:test';
import { posLaneEventSchema, type LanePosEvent } from '../../contracts/index.js';
import { PosFanout } from './pos-fanout.js';

const event = (laneId: string, at: number): LanePosEvent => ({ ...posLaneEventSchema.parse({ workstationId: 'T1', kind: 'sale', posTime: at }), laneId, at });

test('a lane camera reads its lane’s events once; an exit camera reads every lane’s', () => {
  const crossings: Array<[string, number]> = [];
  const fanout = new PosFanout({ observeScannerCrossing: (laneId, at) => void crossings.push([laneId, at]) });
  const lane1 = fanout.feedFor({ laneId: 'lan_1', isStoreWide: false });
  const lane2 = fanout.feedFor({ laneId: 'lan_2', isStoreWide: false });
  const exit = fanout.feedFor({ isStoreWide: true });
  fanout.publish(event('lan_1', 1));
  fanout.publish(event('lan_2', 2));
  assert.deepEqual(lane1.take().map((e) => e.at), [1]);
  assert.deepEqual(lane1.take(), []);
  assert.deepEqual(lane2.take().map((e) => e.at), [2]);
  assert.deepEqual(exit.take().map((e) => e.laneId), ['lan_1', 'lan_2']);
  lane2.scannerCrossing(42);
  exit.scannerCrossing(43);
  assert.deepEqual(crossings, [['lan_2', 42]]);
});

test('a camera that stops reading keeps only the newest events, and the drop is counted', () => {
  const fanout = new PosFanout({ observeScannerCrossing: () => undefined });
  const feed = fanout.feedFor({ laneId: 'lan_1', isStoreWide: false });
  for (let i = 0; i < 5_010; i += 1) fanout.publish(event('lan_1', i));
  const taken = feed.take();
  assert.equal(taken.length, 5_000);
  assert.equal(taken[0]?.at, 10);
  assert.equal(fanout.dropped(), 10);
});
