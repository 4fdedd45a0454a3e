import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isWithinReachOf } from './lost-product-link.js';
import { CHECKOUT_ZONES, FRAME, T0, productAt, track } from './testing/scene.js';

const scanner = CHECKOUT_ZONES.filter((z) => z.type === 'scanner');

test('isWithinReachOf: a product two of its sizes from the scanner or nearer is within reach, one further is not', () => {
  // The scanner starts at x 0.3; a 40 px product reaches 80 px (0.08) beyond its box.
  assert.ok(isWithinReachOf(track(productAt(1, 0.25), T0), scanner, FRAME), 'box edge 0.03 away');
  assert.ok(isWithinReachOf(track(productAt(1, 0.35), T0), scanner, FRAME), 'on it');
  assert.ok(!isWithinReachOf(track(productAt(1, 0.15), T0), scanner, FRAME), 'box edge 0.13 away');
});
