import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Zone } from '../tracking/index.js';
import { createRule } from './rule-registry.js';
import { T0, idle, personAt, play, productAt, rect, type FrameSpec, type TrackSpec } from './testing/scene.js';

const env = { timezone: 'UTC' };
const rule = (config: Record<string, unknown> = {}) => createRule('sweep', config, env);
const SHELF = rect('razors', 'shelf', 0, 0, 0.4, 1);
const ZONES: readonly Zone[] = [SHELF, rect('stock room door', 'staff', 0.35, 0.85, 0.4, 1)];
const shopper = personAt(1, 0.3, 0.9);

/** Products `ids` sit on the shelf for two frames, then leave it one frame after another (500 ms frames). */
function taken(ids: readonly number[], people: readonly TrackSpec[], framesBetween = 1): FrameSpec[] {
  const onShelf = (id: number, i: number) => productAt(id, 0.2, 0.1 + 0.1 * i);
  const offShelf = (id: number, i: number) => productAt(id, 0.5, 0.1 + 0.1 * i);
  const frames: FrameSpec[] = idle(2, { tracks: [...people, ...ids.map(onShelf)] });
  ids.forEach((_, k) => {
    const tracks = [...people, ...ids.map((id, i) => (i <= k ? offShelf(id, i) : onShelf(id, i)))];
    frames.push(...idle(framesBetween, { tracks }));
  });
  return frames;
}

test('sweep: four products leaving one shelf within 10 s with one shopper there fires', () => {
  const hits = play(rule(), ZONES, taken([11, 12, 13, 14], [shopper]));
  assert.equal(hits.length, 1);
  const [hit] = hits;
  assert.equal(hit?.rule, 'sweep');
  assert.equal(hit?.trackId, 1);
  assert.equal(hit?.zone, 'razors');
  assert.equal(hit?.since, T0 + 1000);
  assert.equal(hit?.at, T0 + 2500);
  assert.equal(hit?.attributes['productCount'], 4);
  assert.ok((hit?.evidence.from ?? Infinity) <= T0 + 1000 && (hit?.evidence.to ?? 0) >= T0 + 2500);
  assert.match(hit?.explanation ?? '', /4 products left shelf razors within 1.5 s while person 1 was the only customer there \(products 11, 12, 13, 14\)/);
});

test('sweep: three products, or four spread over more than the window, raise nothing', () => {
  assert.deepEqual(play(rule(), ZONES, taken([11, 12, 13], [shopper])), []);
  assert.deepEqual(play(rule(), ZONES, taken([11, 12, 13, 14], [shopper], 8)), [], 'one every 4 s');
  assert.equal(play(rule({ windowSeconds: 15 }), ZONES, taken([11, 12, 13, 14], [shopper], 8)).length, 1);
});

test('sweep: staff (by label or in a staff zone), two shoppers or nobody at the shelf raise nothing', () => {
  assert.deepEqual(play(rule(), ZONES, taken([11, 12, 13, 14], [{ ...shopper, label: 'staff' }])), []);
  assert.deepEqual(play(rule(), ZONES, taken([11, 12, 13, 14], [personAt(1, 0.38, 0.95)])), [], 'standing in the staff zone');
  assert.deepEqual(play(rule(), ZONES, taken([11, 12, 13, 14], [shopper, personAt(2, 0.1, 0.9)])), [], 'who took them?');
  assert.deepEqual(play(rule(), ZONES, taken([11, 12, 13, 14], [])), []);
  assert.deepEqual(play(rule(), ZONES, taken([11, 12, 13, 14], [shopper, personAt(5, 0.1, 0.9, 'staff')])), [], 'staff at the shelf: restocking');
  assert.equal(play(rule({ suppressWhenStaffPresent: false }), ZONES, taken([11, 12, 13, 14], [shopper, personAt(5, 0.1, 0.9, 'staff')])).length, 1);
});

test('sweep: products the tracker loses on the shelf are not taken', () => {
  const lost: FrameSpec[] = [...idle(2, { tracks: [shopper, ...[11, 12, 13, 14].map((id, i) => productAt(id, 0.2, 0.1 + 0.1 * i))] })];
  lost.push({ tracks: [shopper], removed: [11, 12, 13, 14].map((id, i) => ({ ...productAt(id, 0.2, 0.1 + 0.1 * i), lastSeenAt: T0 + 500 })) });
  assert.deepEqual(play(rule(), ZONES, lost), []);
});

test('sweep: the cooldown holds the shelf; reset forgets products already off it', () => {
  const second = taken([21, 22, 23, 24], [shopper]);
  const both = [...taken([11, 12, 13, 14], [shopper]), ...second];
  assert.equal(play(rule(), ZONES, both).length, 1, 'default cooldown 60 s');
  assert.equal(play(rule({ cooldownSeconds: 0 }), ZONES, both).length, 2);
  const r = rule();
  play(r, ZONES, taken([11, 12, 13], [shopper]));
  r.reset?.();
  assert.deepEqual(play(r, ZONES, taken([14], [shopper]), T0 + 3000), []);
});
