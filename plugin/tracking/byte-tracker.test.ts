import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Detection } from '../../contracts/index.js';
import { isAppError } from '../../contracts/index.js';
import { ByteTracker } from './byte-tracker.js';

const person = (x: number, y: number, score = 0.9, label = 'person'): Detection => ({ label, classId: label === 'person' ? 0 : 16, score, box: [x, y, x + 40, y + 100] });
const FRAME_MS = 100;

test('ids stay with their people through a crossing where one hides behind the other', () => {
  const tracker = new ByteTracker();
  const idsA = new Set<number>();
  const idsB = new Set<number>();
  for (let f = 0; f < 30; f++) {
    const ax = 10 + f * 10; // walks right
    const bx = 300 - f * 10; // walks left, a little lower in the picture
    const isHidden = f >= 13 && f <= 16; // B behind A for four frames
    const dets = isHidden ? [person(ax, 50)] : [person(ax, 50), person(bx, 60)];
    const { tracks } = tracker.update(dets, f * FRAME_MS);
    if (f < 3) continue;
    const a = tracks.find((t) => t.missedFrames === 0 && Math.abs(t.box[0] - ax) < 1 && t.box[1] === 50);
    assert.ok(a !== undefined, `frame ${f}: A tracked`);
    idsA.add(a.id);
    if (!isHidden) {
      const b = tracks.find((t) => t.missedFrames === 0 && Math.abs(t.box[0] - bx) < 1 && t.box[1] === 60);
      assert.ok(b !== undefined, `frame ${f}: B tracked`);
      idsB.add(b.id);
    }
  }
  assert.equal(idsA.size, 1, `A had ids ${[...idsA].join(',')}`);
  assert.equal(idsB.size, 1, `B had ids ${[...idsB].join(',')}`);
  assert.notDeepEqual([...idsA], [...idsB]);
});

test('a track is confirmed after 3 matched frames and dropped once unseen for maxMissedMs, by the clock', () => {
  const tracker = new ByteTracker();
  assert.equal(tracker.update([person(100, 100)], 0).tracks[0]?.state, 'tentative');
  assert.equal(tracker.update([person(102, 100)], 100).tracks[0]?.state, 'tentative');
  const confirmed = tracker.update([person(104, 100)], 200).tracks[0];
  assert.equal(confirmed?.state, 'confirmed');
  for (let k = 1; k <= 60; k++) {
    const { tracks, removed } = tracker.update([], 200 + k * 100);
    assert.equal(tracks.length, 1, `still held after ${k} missed frames`);
    assert.equal(tracks[0]?.missedFrames, k);
    assert.equal(removed.length, 0);
  }
  const last = tracker.update([], 6_300);
  assert.equal(last.tracks.length, 0);
  assert.deepEqual(last.removed.map((t) => t.id), [confirmed?.id]);
});

test('frames the detector skipped do not count as misses; an outage with no frames at all still ends the track', () => {
  const tracker = new ByteTracker({ confirmFrames: 1, maxMissedMs: 2_000 });
  const id = tracker.update([person(100, 100)], 0).tracks[0]?.id;
  for (let t = 100; t <= 1_900; t += 100) assert.equal(tracker.update([], t, { isDetected: false }).tracks[0]?.missedFrames, 0);
  assert.equal(tracker.update([person(101, 100)], 1_950).tracks[0]?.id, id, 'a still person re-confirmed keeps their id');
  // The stream was down for a minute: the first frame after it finds nothing to carry over.
  const after = tracker.update([], 61_950, { isDetected: false });
  assert.deepEqual([after.tracks.length, after.removed.map((t) => t.id)], [0, [id]]);
});

test('reset forgets every track and new ids never reuse old ones', () => {
  const tracker = new ByteTracker({ confirmFrames: 1 });
  const before = tracker.update([person(100, 100)], 0).tracks[0]?.id ?? 0;
  assert.equal(tracker.reset().length, 1);
  const after = tracker.update([person(100, 100)], 100).tracks[0]?.id ?? 0;
  assert.ok(after > before);
});

test('a tentative track that misses a frame is dropped as noise', () => {
  const tracker = new ByteTracker();
  tracker.update([person(100, 100)], 0);
  const { tracks, removed } = tracker.update([], 100);
  assert.equal(tracks.length, 0);
  assert.equal(removed.length, 1);
});

test('a low-score detection rescues a confirmed track but never starts one', () => {
  const tracker = new ByteTracker();
  for (let f = 0; f < 3; f++) tracker.update([person(100 + f * 5, 100)], f * FRAME_MS);
  // Half occluded: the detector is unsure (0.3), and a stray low-score box appears elsewhere.
  const { tracks } = tracker.update([person(115, 100, 0.3), person(400, 300, 0.3)], 3 * FRAME_MS);
  assert.equal(tracks.length, 1, 'no track from the stray low-score box');
  assert.equal(tracks[0]?.missedFrames, 0, 'the occluded person was matched');
  assert.equal(tracks[0]?.id, 1);
  assert.equal(tracks[0]?.score, 0.3);
  // Without the recovery pass the same detection would have left the track missed.
  const plain = new ByteTracker({ lowScore: 0.5 });
  for (let f = 0; f < 3; f++) plain.update([person(100 + f * 5, 100)], f * FRAME_MS);
  assert.equal(plain.update([person(115, 100, 0.3)], 3 * FRAME_MS).tracks[0]?.missedFrames, 1);
});

test('a detection of another class does not take over a track', () => {
  const tracker = new ByteTracker();
  for (let f = 0; f < 3; f++) tracker.update([person(100, 100)], f * FRAME_MS);
  const { tracks } = tracker.update([person(100, 100, 0.9, 'dog')], 3 * FRAME_MS);
  const p = tracks.find((t) => t.label === 'person');
  const d = tracks.find((t) => t.label === 'dog');
  assert.equal(p?.missedFrames, 1);
  assert.ok(d !== undefined && d.id !== p?.id);
});

test('an invalid tracker config is refused with config_invalid', () => {
  assert.throws(() => new ByteTracker({ confirmFrames: 0 }), (e) => isAppError(e) && e.code === 'config_invalid');
});
