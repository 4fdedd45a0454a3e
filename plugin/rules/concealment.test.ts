import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Zone } from '../tracking/index.js';
import type { Keypoint } from './rule.js';
import { createRule } from './rule-registry.js';
import { T0, idle, personAt, play, productAt, rect, type FrameSpec, type TrackSpec } from './testing/scene.js';

const env = { timezone: 'UTC' };
const rule = (config: Record<string, unknown> = {}) => createRule('concealment', config, env);
const AISLE: readonly Zone[] = [rect('shelf A', 'shelf', 0.8, 0, 1, 1)];
/** Person 1's box spans x 450..550, y 500..900; its torso band (20%..65%) is y 580..760. */
const person = personAt(1, 0.5, 0.9);

/** Product 9 held at (x, y) for `heldFrames` frames of 500 ms, then dropped by the tracker. */
function heldThenGone(x: number, y: number, heldFrames = 4, extra: Partial<FrameSpec> = {}): FrameSpec[] {
  const product = productAt(9, x, y);
  const held: FrameSpec[] = idle(heldFrames, { tracks: [person, product], ...extra });
  const lastSeenAt = T0 + (heldFrames - 1) * 500;
  return [...held, { tracks: [person], removed: [{ ...product, lastSeenAt }], ...extra }, ...idle(4, { tracks: [person] })];
}

test('concealment: a held product vanishing in the torso band of the person box fires', () => {
  const hits = play(rule(), AISLE, heldThenGone(0.5, 0.65));
  assert.equal(hits.length, 1);
  const [hit] = hits;
  assert.equal(hit?.rule, 'concealment');
  assert.equal(hit?.trackId, 1);
  assert.equal(hit?.attributes['method'], 'box');
  assert.equal(hit?.attributes['productTrackId'], 9);
  assert.equal(hit?.since, T0);
  assert.ok((hit?.evidence.from ?? Infinity) <= T0 && (hit?.evidence.to ?? 0) >= T0 + 1500);
  assert.match(hit?.explanation ?? '', /product 9, held by person 1 for 1.5 s, vanished at the torso/);
});

test('concealment: a product put down at the feet, on a shelf, or never held raises nothing', () => {
  assert.deepEqual(play(rule(), AISLE, heldThenGone(0.5, 0.85)), [], 'below the torso band');
  const atShelf = personAt(1, 0.9, 0.9);
  const shelfFrames: FrameSpec[] = [...idle(4, { tracks: [atShelf, productAt(9, 0.9, 0.65)] }), { tracks: [atShelf], removed: [{ ...productAt(9, 0.9, 0.65), lastSeenAt: T0 + 1500 }] }];
  assert.deepEqual(play(rule(), AISLE, shelfFrames), [], 'in the shelf zone');
  assert.deepEqual(play(rule(), AISLE, heldThenGone(0.2, 0.65)), [], 'nowhere near the person');
  assert.deepEqual(play(rule(), AISLE, heldThenGone(0.5, 0.65, 1)), [], 'held for no time at all');
});

test('concealment: a product that leaves the view with its holder is carried out, not hidden', () => {
  const product = productAt(9, 0.5, 0.65);
  const together: FrameSpec[] = [
    ...idle(4, { tracks: [person, product] }),
    { removed: [{ ...person, lastSeenAt: T0 + 1500 }, { ...product, lastSeenAt: T0 + 1500 }] },
    ...idle(6),
  ];
  assert.deepEqual(play(rule(), AISLE, together), []);
  const holderGoesSoon: FrameSpec[] = [...idle(4, { tracks: [person, product] }), { tracks: [person] }, { removed: [{ ...person, lastSeenAt: T0 + 2000 }] }, ...idle(6)];
  assert.deepEqual(play(rule(), AISLE, holderGoesSoon), [], 'seen only 0.5 s after the product');
});

test('concealment: a product the tracker still predicts but has not seen for missingSeconds counts as vanished', () => {
  const product = productAt(9, 0.5, 0.65);
  const missing: TrackSpec = { ...product, missedFrames: 3, lastSeenAt: T0 + 1500 };
  const frames: FrameSpec[] = [...idle(4, { tracks: [person, product] }), ...idle(4, { tracks: [person, missing] })];
  const hits = play(rule(), AISLE, frames);
  assert.equal(hits.length, 1);
  assert.equal(hits[0]?.at, T0 + 2500, 'one second after the last sighting');
});

const pose = (wrist: readonly [number, number]): Keypoint[] => [
  { name: 'left_shoulder', x: 0.47, y: 0.6, score: 0.9 },
  { name: 'right_shoulder', x: 0.53, y: 0.6, score: 0.9 },
  { name: 'left_hip', x: 0.48, y: 0.75, score: 0.9 },
  { name: 'right_hip', x: 0.52, y: 0.75, score: 0.9 },
  { name: 'right_wrist', x: wrist[0], y: wrist[1], score: 0.8 },
];
const poses = (...wrists: Array<readonly [number, number]>): Array<Map<number, Keypoint[]>> => wrists.map((w) => new Map([[1, pose(w)]]));

test('concealment: with keypoints, the wrist moving into the torso as the product vanishes fires', () => {
  const frames = heldThenGone(0.54, 0.8).map((f, i) => ({ ...f, keypoints: poses([0.62, 0.8], [0.62, 0.8], [0.6, 0.75], [0.5, 0.68], [0.5, 0.68])[i] ?? new Map() }));
  const hits = play(rule(), AISLE, frames);
  assert.equal(hits.length, 1);
  assert.equal(hits[0]?.attributes['method'], 'keypoints');
  assert.match(hits[0]?.explanation ?? '', /a wrist moved into the torso region/);
});

test('concealment: with keypoints, a wrist that stays away from the torso raises nothing, wherever the box was', () => {
  const frames = heldThenGone(0.5, 0.65).map((f) => ({ ...f, keypoints: new Map([[1, pose([0.65, 0.9])]]) }));
  assert.deepEqual(play(rule(), AISLE, frames), []);
});

test('concealment: the cooldown is per person; each product is one hit; reset forgets holdings', () => {
  const second = heldThenGone(0.5, 0.65).map((f) => ({
    ...f,
    tracks: (f.tracks ?? []).map((t) => (t.id === 9 ? { ...t, id: 10 } : t)),
    removed: (f.removed ?? []).map((t) => ({ ...t, id: 10, lastSeenAt: (t.lastSeenAt ?? 0) + 4500 })),
  }));
  const frames = [...heldThenGone(0.5, 0.65), ...second];
  assert.equal(play(rule(), AISLE, frames).length, 1, 'default cooldown 30 s');
  assert.equal(play(rule({ cooldownSeconds: 0 }), AISLE, frames).length, 2);
  const r = rule();
  play(r, AISLE, idle(4, { tracks: [person, productAt(9, 0.5, 0.65)] }));
  r.reset?.();
  assert.deepEqual(play(r, AISLE, [{ tracks: [person], removed: [{ ...productAt(9, 0.5, 0.65), lastSeenAt: T0 + 1500 }] }], T0 + 2000), []);
});
