import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PresenceTimeline } from './presence-timeline.js';
import { T0 } from './testing/scene.js';

test('PresenceTimeline answers who was present in a window and whether frames covered it', () => {
  const timeline = new PresenceTimeline(60_000);
  for (let s = 0; s <= 10; s++) timeline.record(T0 + s * 1000, s >= 4 && s <= 6 ? [7] : []);
  assert.deepEqual(timeline.presentBetween(T0 + 5000, T0 + 5000), [7]);
  assert.deepEqual(timeline.presentBetween(T0, T0 + 3000), []);
  assert.equal(timeline.covers(T0, T0 + 10_000), true);
  assert.equal(timeline.covers(T0 - 5000, T0 + 1000), false, 'before the first frame');
  timeline.record(T0 + 20_000, []);
  assert.equal(timeline.covers(T0 + 9000, T0 + 20_000), false, 'a 10 s hole between frames');
});

test('PresenceTimeline forgets runs that ended before its memory', () => {
  const timeline = new PresenceTimeline(5000);
  timeline.record(T0, [1]);
  timeline.record(T0 + 1000, []);
  for (let s = 2; s <= 20; s++) timeline.record(T0 + s * 1000, []);
  assert.deepEqual(timeline.presentBetween(T0, T0 + 1000), [], 'the present run at T0 is forgotten');
});
