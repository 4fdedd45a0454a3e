import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHECKOUT_ZONES, T0, input, productAt } from './testing/scene.js';
import { TrackZoneHistory } from './zone-history.js';

test('TrackZoneHistory keeps the zones a track left, and marks a stay its track ended in', () => {
  const history = new TrackZoneHistory({ labels: ['product'], keepMs: 10_000, isPlacedByCentre: true });
  history.update(input(T0, CHECKOUT_ZONES, { tracks: [productAt(1, 0.4)] }));
  const steps = history.update(input(T0 + 500, CHECKOUT_ZONES, { tracks: [productAt(1, 0.65)] }));
  assert.deepEqual(steps.map((s) => `${s.kind} ${s.stay.type}`), ['exit scanner', 'enter bagging']);
  history.update(input(T0 + 1000, CHECKOUT_ZONES, { removed: [{ ...productAt(1, 0.65), lastSeenAt: T0 + 500 }] }));
  assert.deepEqual(history.stays(1).map((s) => [s.type, s.enteredAt, s.leftAt, s.endedInside]), [
    ['scanner', T0, T0 + 500, false],
    ['bagging', T0 + 500, T0 + 500, true],
  ]);
  assert.equal(history.stayedIn('bagging', T0, T0 + 1000).length, 1, 'not seen leaving');
});

test('TrackZoneHistory forgets a track keepMs after it was last seen', () => {
  const history = new TrackZoneHistory({ labels: ['product'], keepMs: 10_000, isPlacedByCentre: true });
  history.update(input(T0, CHECKOUT_ZONES, { tracks: [productAt(1, 0.4)] }));
  history.update(input(T0 + 5000, CHECKOUT_ZONES));
  assert.equal(history.stays(1).length, 1);
  history.update(input(T0 + 10_001, CHECKOUT_ZONES));
  assert.equal(history.stays(1).length, 0);
  assert.equal(history.track(1), undefined);
});
