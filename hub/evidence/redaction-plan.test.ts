import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HOLD_SECONDS, redactionPlan, type NormalisedBox } from './redaction-plan.js';

const inside = (inner: NormalisedBox, outer: NormalisedBox) => inner[0] >= outer[0] && inner[1] >= outer[1] && inner[2] <= outer[2] && inner[3] <= outer[3];
const walk = (t: number): NormalisedBox => [0.05 + 0.4 * t, 0.5, 0.2 + 0.4 * t, 0.85];

test('between sparse detections, every moment of a walk lies inside a box blurred at that moment', () => {
  const plan = redactionPlan({
    startMs: 0, endMs: 2000, itemDetections: [], involvedTracks: new Set([1]),
    detections: [0.1, 1.9].map((t) => ({ at: t * 1000, label: 'person', box: walk(t), trackId: 7 })),
  });
  for (let t = 0.1; t <= 1.9; t += 0.01) {
    assert.ok(plan.some((b) => b.from <= t && t <= b.to && inside(walk(t), b.box)), `uncovered at ${t.toFixed(2)} s`);
  }
  assert.ok(plan.some((b) => b.from === 0 && inside(walk(0.1), b.box)), 'held before the first detection');
  assert.ok(plan.some((b) => b.to >= 1.9 + HOLD_SECONDS - 1e-9 && inside(walk(1.9), b.box)), 'held after the last detection');
});

test('involved tracks and other labels are not blurred; faces are; untracked item detections hold over the item', () => {
  const plan = redactionPlan({
    startMs: 0, endMs: 1000, involvedTracks: new Set([1]),
    detections: [
      { at: 500, label: 'person', box: [0.1, 0.1, 0.2, 0.2], trackId: 1 },
      { at: 500, label: 'bag', box: [0.3, 0.3, 0.4, 0.4], trackId: 2 },
      { at: 500, label: 'face', box: [0.5, 0.5, 0.55, 0.55] },
    ],
    itemDetections: [{ label: 'person', score: 0.9, box: [0.7, 0.1, 0.9, 0.9], involved: false }],
  });
  assert.equal(plan.filter((b) => inside([0.5, 0.5, 0.55, 0.55], b.box)).length, 2, 'the face, held around its moment');
  assert.ok(!plan.some((b) => inside([0.1, 0.1, 0.2, 0.2], b.box) && b.box[2] < 0.5), 'the involved person stays visible');
  assert.ok(plan.some((b) => b.from === 0 && b.to >= 1 && inside([0.7, 0.1, 0.9, 0.9], b.box)), 'the untimed bystander is held over the whole item');
});
