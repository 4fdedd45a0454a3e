import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClockOffsetEstimator } from './clock-offset-estimator.js';
import { LanePosHub } from './lane-pos-hub.js';
import { LANE_A, posConfig, seededRandom } from './testing/pos-test-kit.js';

const OPTIONS = posConfig({}).offsetEstimation;
const T0 = Date.UTC(2026, 10, 24, 10, 0);

interface Lane {
  crossings: number[];
  scans: number[];
}

/**
 * A checkout lane: items cross the scanner every 2-6 s; most are scanned (the journal time is truncated to the
 * second, plus detection jitter), some cross unscanned, some scans have no crossing (keyed items, produce),
 * and a few scans pair with the wrong crossing (a multipack scanned twice seconds later).
 */
function simulateLane(trueOffsetMs: number, items: number, seed: number): Lane {
  const random = seededRandom(seed);
  const lane: Lane = { crossings: [], scans: [] };
  let t = T0;
  for (let i = 0; i < items; i += 1) {
    t += 2_000 + random() * 4_000;
    lane.crossings.push(Math.round(t));
    const roll = random();
    const scanAt = (lag: number) => Math.floor((t + trueOffsetMs + lag + (random() - 0.5) * 300) / 1000) * 1000;
    if (roll < 0.7) lane.scans.push(scanAt(150));
    else if (roll < 0.8) lane.scans.push(scanAt(7_000 + random() * 20_000));
    else if (roll < 0.9) lane.scans.push(scanAt(150), scanAt(-40_000 * random()));
  }
  return lane;
}

function feed(estimator: ClockOffsetEstimator, lane: Lane, crossings: number): void {
  for (const c of lane.crossings.slice(0, crossings)) estimator.observeCrossing(c);
  for (const s of lane.scans) if (s <= (lane.crossings[crossings - 1] ?? 0) + 200_000) estimator.observeScan(s);
}

test('the offset converges from a wrong configured value through noisy matches, unscanned items, keyed scans and wrong pairings', () => {
  for (const [configured, truth, seed] of [[0, 47_300, 1], [10_000, -85_000, 2], [-30_000, 12_650, 3]] as const) {
    const lane = simulateLane(truth, 60, seed);
    const estimator = new ClockOffsetEstimator(configured, OPTIONS);
    for (const c of lane.crossings) estimator.observeCrossing(c);
    for (const s of lane.scans) estimator.observeScan(s);
    const estimate = estimator.estimate();
    assert.equal(estimate.isEstimated, true, `seed ${seed}`);
    assert.ok(Math.abs(estimate.offsetMs - truth) <= 700, `seed ${seed}: ${estimate.offsetMs} vs ${truth}`);
    assert.ok(estimate.samples >= 30, `seed ${seed}: ${estimate.samples} samples`);
    assert.ok(estimate.spreadMs !== null && estimate.spreadMs <= 700, `seed ${seed}: spread ${estimate.spreadMs}`);
    assert.equal(estimate.configuredMs, configured);
  }
});

test('the configured offset holds until enough crossings matched', () => {
  const lane = simulateLane(47_300, 60, 4);
  const few = new ClockOffsetEstimator(0, { ...OPTIONS, minMatches: 8 });
  feed(few, lane, 5);
  assert.equal(few.estimate().isEstimated, false);
  assert.equal(few.offsetMs, 0);
  assert.ok(few.estimate().samples < 8);
  const none = new ClockOffsetEstimator(1_234, OPTIONS);
  assert.deepEqual(none.estimate(), { configuredMs: 1_234, offsetMs: 1_234, isEstimated: false, samples: 0, spreadMs: null, crossings: 0, scans: 0 });
});

test('scans unrelated to the crossings (a busy lane, a wrong binding) never move the estimate', () => {
  for (const seed of [5, 7, 8, 9]) {
    const random = seededRandom(seed);
    const lane = simulateLane(0, 60, seed);
    const span = (lane.crossings.at(-1) ?? T0) - T0;
    const estimator = new ClockOffsetEstimator(0, OPTIONS);
    for (const c of lane.crossings) estimator.observeCrossing(c);
    for (let i = 0; i < 60; i += 1) estimator.observeScan(Math.floor((T0 + random() * span) / 1000) * 1000);
    assert.equal(estimator.estimate().isEstimated, false, `seed ${seed}: ${JSON.stringify(estimator.estimate())}`);
    assert.equal(estimator.offsetMs, 0);
  }
});

test('a lane learns its offset from scanner crossings and timed sale lines; later events land on the camera clock', () => {
  const hub = new LanePosHub(posConfig({ lanes: [{ workstationId: '03', laneId: LANE_A, offsetMs: -20_000 }] }));
  const lane = simulateLane(61_000, 50, 6);
  for (const c of lane.crossings) hub.observeScannerCrossing(LANE_A, c);
  const sale = (posTime: number) => ({
    workstationId: '03', kind: 'sale' as const, posTime, sequenceNumber: '1', operatorId: '117', itemId: '4006381333931', description: 'PEN', quantity: 1, amount: 1, raw: null,
  });
  for (const s of lane.scans) hub.accept(sale(s), { timeBase: 'pos', isScanPrecise: true, receivedAt: s, source: 'journal' });
  const offset = hub.health().lanes[0]?.offset;
  assert.equal(offset?.isEstimated, true);
  assert.ok(Math.abs((offset?.offsetMs ?? 0) - 61_000) <= 700, `offset ${offset?.offsetMs}`);
  assert.equal(hub.health().lanes[0]?.scannerCrossings, 50);
  hub.drain();
  const crossing = T0 + 3_600_000;
  hub.accept(sale(crossing + 61_000), { timeBase: 'pos', isScanPrecise: true, receivedAt: crossing, source: 'journal' });
  const [event] = hub.drain(LANE_A);
  assert.ok(event && Math.abs(event.at - crossing) <= 700, `at ${event?.at} vs crossing ${crossing}`);
  assert.equal(hub.observeScannerCrossing('lan_01jd0x6q8e4t0m3v7x9k2c5bzz', crossing), false, 'a lane without POS is ignored');
});
