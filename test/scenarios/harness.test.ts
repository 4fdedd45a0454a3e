import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RuleHit } from '../../plugin/rules/index.js';
import { evaluateRule, isRegistered, runOne } from './evaluate.js';
import { deliver, randomFaults, type PosFaults } from './pos-stream.js';
import { Rng } from './prng.js';
import { render } from './render.js';
import { scoreHits } from './score.js';
import { scenariosFor, SUITES } from './suite.js';
import { LANE, T0, type PosScript, type TruthEvent } from './world.js';

const hit = (at: number, key: string, since = at): RuleHit => ({
  rule: 'r',
  since,
  at,
  confidence: 0.9,
  severity: 'high',
  explanation: 'x',
  evidence: { from: since, to: at },
  detections: [],
  pos: [],
  attributes: {},
  dedupKey: key,
});

describe('scenario harness: building blocks', () => {
  it('generates the same scenarios from the same seed, and others from another', () => {
    for (const suite of SUITES) {
      const [a, b, c] = [scenariosFor(suite, 4, 7), scenariosFor(suite, 4, 7), scenariosFor(suite, 4, 8)];
      assert.deepEqual(a.map((s) => [s.name, s.pos, s.truth, s.end]), b.map((s) => [s.name, s.pos, s.truth, s.end]), suite.rule);
      assert.notDeepEqual(a.map((s) => s.end), c.map((s) => s.end), suite.rule);
      assert.ok(a.some((s) => s.truth.length > 0) && a.some((s) => s.truth.length === 0), `${suite.rule}: positives and negatives`);
    }
  });

  it('renders actors in view as detections in the frame', () => {
    const [scenario] = scenariosFor(SUITES[0]!, 1, 1);
    assert.ok(scenario !== undefined);
    const detections = render(scenario.actors, scenario.start + 3000, new Rng(1), { missRate: 0, lowScoreRate: 0, jitter: 0, ghostRate: 0 });
    assert.ok(detections.length >= 2, 'the cashier and a product at least');
    for (const d of detections) assert.ok(d.box[0] >= 0 && d.box[2] <= 960 && d.box[3] <= 540 && d.box[0] < d.box[2]);
  });

  it('scores event by event: one match per truth event, duplicates and strays are false positives, the rest misses', () => {
    const truth: TruthEvent[] = [
      { rule: 'r', from: 100, to: 200, what: 'a' },
      { rule: 'r', from: 1000, to: 1100, what: 'b' },
    ];
    const score = scoreHits('r', [hit(150, 'k1'), hit(160, 'k2'), hit(160, 'k1'), hit(5000, 'k3')], truth);
    assert.deepEqual(score, { tp: 1, fp: 2, fn: 1, duplicates: 1 });
    assert.deepEqual(scoreHits('r', [hit(1200, 'k', 1050)], truth), { tp: 1, fp: 0, fn: 1, duplicates: 0 });
  });

  it('moves POS lines to the camera clock within the residual, truncates to the POS clock resolution, loses only droppable lines, holds them through an outage', () => {
    const script: PosScript[] = Array.from({ length: 200 }, (_, i) => ({ at: T0 + i * 500, kind: 'sale', laneId: LANE, sequenceNumber: '1', itemId: `${i}`, amount: 1, droppable: i % 2 === 0 }));
    const faults: PosFaults = { ...randomFaults(new Rng(3), T0, T0 + 100_000), outage: { from: T0 + 20_000, to: T0 + 30_000 } };
    const out = deliver(script, faults, new Rng(4));
    for (let i = 1; i < 200; i += 2) assert.ok(out.some((d) => d.event.itemId === `${i}`), `line ${i} is not droppable`);
    for (const { event } of out) {
      const truth = T0 + Number(event.itemId) * 500;
      assert.ok(Math.abs(event.at - truth) <= 1001 + faults.resolutionMs && Math.abs(event.posTime - truth - faults.offsetMs) < faults.resolutionMs);
    }
    assert.ok(out.every((d) => d.deliverAt < T0 + 20_000 || d.deliverAt >= T0 + 30_000), 'nothing arrives during the outage');
    assert.ok(out.filter((d) => Math.abs(d.deliverAt - (T0 + 30_000)) < 100).length > 10, 'the backlog arrives at once');
  });

  it('reports a rule that is not registered instead of failing', () => {
    const report = evaluateRule({ rule: 'no_such_rule', scenario: SUITES[0]!.scenario, config: {} }, { count: 3, seed: 1 });
    assert.equal(report.registered, false);
    assert.equal(report.scenarios, 0);
  });
});

describe('scenario harness: end to end through tracker, zones and rules', () => {
  for (const suite of SUITES) {
    it(`${suite.rule}: an obvious positive is detected and an obvious negative is not`, { skip: !isRegistered(suite.rule) && 'not registered' }, () => {
      // With a clean POS feed, among a few scenarios of each kind: a broken pipeline detects nothing (or everything).
      const outcomes = scenariosFor(suite, 8, 11).map((s) => runOne(suite, s, { cleanPos: true }));
      const positives = outcomes.filter((o) => o.scenario.truth.length > 0);
      const negatives = outcomes.filter((o) => o.scenario.truth.length === 0);
      assert.ok(positives.some((o) => o.score.tp > 0), `no positive scenario of ${suite.rule} was detected`);
      assert.ok(negatives.some((o) => o.hits.length === 0), `every negative scenario of ${suite.rule} raised a hit`);
      for (const o of outcomes) for (const h of o.hits) assert.equal(h.rule, suite.rule);
    });
  }
});
