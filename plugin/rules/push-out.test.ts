import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Zone } from '../tracking/index.js';
import type { Rule } from './rule.js';
import { createRule } from './rule-registry.js';
import { T0, idle, play, pos, productAt, rect, type FrameSpec, type TrackSpec } from './testing/scene.js';

const env = { timezone: 'UTC' };
const rule = (config: Record<string, unknown> = {}) => createRule('push_out', config, env);
const ZONES: readonly Zone[] = [rect('front door', 'exit', 0, 0.8, 1, 1)];
const SIX_MIN = 6 * 60_000;
const START = T0 + SIX_MIN;

const cartAt = (id: number, y: number): TrackSpec => ({ id, label: 'cart', box: [400, y * 1000 - 200, 600, y * 1000] });
/** Cart `id` rolls down the frame and into the exit zone on the 4th frame (START + 3 s with 1 s frames). */
const rollOut = (id: number, extra: (y: number) => TrackSpec[] = () => []): FrameSpec[] => [0.5, 0.6, 0.7, 0.85, 0.95].map((y) => ({ tracks: [cartAt(id, y), ...extra(y)] }));
const CROSSED_AT = START + 3000;

/** A rule that has watched (and heard the POS) for six minutes before the scene starts. */
function watched(config: Record<string, unknown> = {}, earlyPos: FrameSpec['pos'] = []): Rule {
  const r = rule(config);
  r.evaluate({ at: T0, frame: { width: 1000, height: 1000 }, tracks: [], removed: [], visits: [], zones: ZONES, pos: earlyPos ?? [] });
  return r;
}
const run = (r: Rule, frames: readonly FrameSpec[], start = START) => play(r, ZONES, frames, start, 1000);

test('push_out: a cart crossing the exit with no completed transaction anywhere fires after the POS delay', () => {
  const hits = run(watched(), [...rollOut(4), ...idle(10)]);
  assert.equal(hits.length, 1);
  const [hit] = hits;
  assert.equal(hit?.rule, 'push_out');
  assert.equal(hit?.trackId, 4);
  assert.equal(hit?.zone, 'front door');
  assert.equal(hit?.since, CROSSED_AT);
  assert.equal(hit?.at, CROSSED_AT + 3000);
  assert.equal(hit?.attributes['posHeardSeconds'], null);
  assert.match(hit?.explanation ?? '', /^cart 4 crossed front door with no completed transaction on any lane in the last 5 min$/);
});

test('push_out: a tender or transaction end on any lane within the window clears the cart', () => {
  const tender = [pos('tender', CROSSED_AT - 120_000, { laneId: 'lane-7' })];
  assert.deepEqual(run(watched(), [{ pos: tender }, ...rollOut(4), ...idle(10)]), []);
  const end = [pos('transaction_end', CROSSED_AT - 60_000, { laneId: 'lane-2' })];
  assert.deepEqual(run(watched(), [...rollOut(4).slice(0, 4), { pos: end }, ...idle(10)]), [], 'arrived late, within the POS delay');
  const old = [pos('transaction_end', CROSSED_AT - SIX_MIN + 10_000)];
  assert.equal(run(watched({}, old), [...rollOut(4), ...idle(10)]).length, 1, 'older than the window');
  const sale = [pos('sale', CROSSED_AT - 30_000)];
  assert.equal(run(watched(), [{ pos: sale }, ...rollOut(4), ...idle(10)]).length, 1, 'a sale line is not a completed transaction');
});

test('push_out: with requireLoaded, only a cart seen with products over it fires', () => {
  assert.deepEqual(run(watched({ requireLoaded: true }), [...rollOut(4), ...idle(10)]), []);
  const loaded = rollOut(4, (y) => [productAt(20, 0.5, y - 0.1)]);
  const hits = run(watched({ requireLoaded: true }), [...loaded, ...idle(10)]);
  assert.equal(hits.length, 1);
  assert.equal(hits[0]?.attributes['isLoaded'], true);
  assert.match(hits[0]?.explanation ?? '', /^Loaded cart 4/);
});

test('push_out: right after a start the hit says how much POS history it heard, with less confidence', () => {
  const fresh = play(rule(), ZONES, [...rollOut(4), ...idle(10)], START, 1000);
  const full = run(watched(), [...rollOut(4), ...idle(10)]);
  assert.equal(fresh.length, 1);
  assert.equal(fresh[0]?.attributes['posHeardSeconds'], 3);
  assert.match(fresh[0]?.explanation ?? '', /POS events heard only for the last 3 s/);
  assert.ok((fresh[0]?.confidence ?? 1) < (full[0]?.confidence ?? 0));
});

test('push_out: the cooldown holds the exit zone; other labels are ignored; reset forgets', () => {
  const two = [...rollOut(4), ...rollOut(5), ...idle(10)];
  assert.equal(run(watched(), two).length, 1, 'default cooldown 30 s');
  assert.equal(run(watched({ cooldownSeconds: 0 }), two).length, 2);
  const person = rollOut(4).map((f) => ({ tracks: (f.tracks ?? []).map((t) => ({ ...t, label: 'person' })) }));
  assert.deepEqual(run(watched(), [...person, ...idle(10)]), []);
  const r = watched();
  run(r, rollOut(4));
  r.reset?.();
  assert.deepEqual(run(r, idle(10), START + 5000), []);
});
