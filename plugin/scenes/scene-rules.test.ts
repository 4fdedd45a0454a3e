import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRule } from '../rules/index.js';
import { ByteTracker, ZoneDwellTracker } from '../tracking/index.js';
import { SCENE_TRACKER, SyntheticScene, TRUTH_CLASSES } from './index.js';
import { SCENE_CONCEALMENT } from './scene-rules.js';

const FPS = 5;
const SIZE = { width: 320, height: 240 };

/** Concealment on perfect detections (the aisle's truth boxes) through the real tracker and zones: hit times, s. */
function hitsOnTruth(seed: number, settings: Record<string, unknown>): { hits: number[]; incidents: Array<{ start: number; end: number }> } {
  const scene = new SyntheticScene({ scene: 'aisle', seed, ...SIZE, fps: FPS, script: 'incident' });
  const tracker = new ByteTracker(SCENE_TRACKER);
  const zones = new ZoneDwellTracker(scene.zones);
  const rule = createRule('concealment', settings, { timezone: 'UTC' });
  const hits: number[] = [];
  for (let index = 0; index < 32 * FPS; index++) {
    const at = (index * 1000) / FPS;
    const detections = scene.render(index).truth.boxes.filter((b) => b.visible >= 0.3)
      .map((b) => ({ label: b.cls, classId: TRUTH_CLASSES.indexOf(b.cls), score: 0.9, box: [b.x1, b.y1, b.x2, b.y2] as [number, number, number, number] }));
    const { tracks, removed } = tracker.update(detections, at);
    zones.update(tracks, removed, { ...SIZE, timestamp: at });
    for (const hit of rule.evaluate({ at, frame: SIZE, tracks, removed, visits: zones.current(), zones: zones.zoneList, pos: [] })) hits.push(hit.at / 1000);
  }
  return { hits, incidents: scene.incidents(30) };
}

/** Incidents with a hit from their start to 3 s after their end. */
function caught(seeds: readonly number[], settings: Record<string, unknown>): { caught: number; of: number } {
  let found = 0;
  let of = 0;
  for (const seed of seeds) {
    const { hits, incidents } = hitsOnTruth(seed, settings);
    of += incidents.length;
    found += incidents.filter((i) => hits.some((h) => h >= i.start && h <= i.end + 3)).length;
  }
  return { caught: found, of };
}

test('with perfect detections of the overhead aisle, concealment catches the concealments with the scenes’ torso band, not with the head-height default', () => {
  const seeds = [100_000, 100_001];
  const overhead = caught(seeds, SCENE_CONCEALMENT);
  assert.equal(overhead.of, 4, 'two concealments a 30 s incident scenario');
  assert.equal(overhead.caught, overhead.of, 'every concealment, once the product is seen to its end');
  const headHeight = caught(seeds, {});
  assert.ok(headHeight.caught <= overhead.of / 2, `the default band caught ${headHeight.caught} of ${headHeight.of}`);
});
