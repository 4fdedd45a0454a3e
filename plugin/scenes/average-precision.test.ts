import assert from 'node:assert/strict';
import { test } from 'node:test';
import { averagePrecision } from './average-precision.js';

test('perfect detections score AP 1; a miss halves recall and AP', () => {
  const truths = [[0, 0, 10, 10], [20, 20, 30, 30]] as const;
  assert.equal(averagePrecision([{ truths, detections: truths.map((box) => ({ box, score: 0.9 })) }]), 1);
  assert.equal(averagePrecision([{ truths, detections: [{ box: truths[0], score: 0.9 }] }]), 0.5);
});

test('a false positive ranked above the hits costs precision; ranked below them it costs nothing', () => {
  const truths = [[0, 0, 10, 10]] as const;
  const hit = { box: truths[0], score: 0.8 };
  const miss = { box: [50, 50, 60, 60] as const, score: 0.9 };
  assert.equal(averagePrecision([{ truths, detections: [miss, hit] }]), 0.5);
  assert.equal(averagePrecision([{ truths, detections: [hit, { ...miss, score: 0.1 }] }]), 1);
});

test('a truth is matched once: a duplicate detection is a false positive; IoU under 0.5 is no match', () => {
  const truths = [[0, 0, 10, 10]] as const;
  assert.equal(averagePrecision([{ truths, detections: [{ box: truths[0], score: 0.9 }, { box: truths[0], score: 0.8 }] }]), 1);
  assert.equal(averagePrecision([{ truths, detections: [{ box: [5, 0, 15, 10], score: 0.9 }] }]), 0);
  assert.ok(Number.isNaN(averagePrecision([{ truths: [], detections: [] }])));
});
