import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Evaluation } from '../scenes/detector-evaluator.js';
import { buildReport, summaryLine } from './eval-report.js';
import { renderReportHtml } from './report-html.js';
import type { ScenarioRun } from './scenario-runner.js';
import { emptyTotals } from './stage-clock.js';

const options = { scenarios: 1, seed: 100_000, scene: 'checkout', seconds: 30, fps: 5 } as const;
const detection: Evaluation = { frames: 18, seeds: [100_000], map50: 0.8, classes: { person: { ap50: 0.9, truths: 20 }, hand: { ap50: 0.6, truths: 30 }, product: { ap50: 0.95, truths: 40 }, cart: { ap50: Number.NaN, truths: 0 } } };

function run(over: Partial<ScenarioRun> = {}): ScenarioRun {
  return {
    spec: { scene: 'checkout', seed: 100_000, seconds: 30, fps: 5, width: 320, height: 240 }, originMs: 0, rules: ['scan_avoidance'],
    incidents: [{ type: 'scan_avoidance', startMs: 10_000, endMs: 12_000 }],
    alarms: [{ id: 'evt_1', type: 'scan_avoidance', atMs: 18_000, fromMs: 10_000, toMs: 12_000, arrivedMs: 18_500 }],
    stages: { ...emptyTotals(), frames: 150, detected: 120, motionMs: 300, inferenceMs: 4_800, trackingMs: 30, rulesMs: 15, decodeCpuMs: 450 },
    model: { name: 'vigil-retail-synthetic-v1' }, ...over,
  };
}

test('the report has every section with figures in range, and the goals beside them, met or not', () => {
  const report = buildReport(options, [run()], detection, new Date(0));
  const m = report.metrics;
  assert.equal(m.detection.classes.hand?.ap50, 0.6);
  assert.equal(m.detection.classes.cart?.ap50, null, 'a class with no truth has no AP (not NaN in the JSON)');
  assert.deepEqual(m.events.scan_avoidance, { tp: 1, fp: 0, fn: 0, precision: 1, recall: 1 });
  assert.equal(m.alarms.latencyMs.p95, 6_500);
  assert.equal(m.frames.share, 0.8);
  assert.deepEqual(m.stageMs, { decode: 3, motion: 2, inference: 40, tracking: 0.2, rules: 0.1 });
  assert.deepEqual(m.incidentObjects, { frames: 0, asItsClass: 0, asOtherClass: {}, share: null });
  assert.deepEqual(m.alarms.latencyPartsMs.queueMs, { p50: null, p95: null }, 'an alarm recorded without its queue time');
  assert.deepEqual(report.goals['map50.hand'], { goal: '>= 0.9', measured: 0.6, isMet: false });
  assert.equal(report.goals['scan_avoidance.recall']?.isMet, true);
  assert.deepEqual(report.goals['alarmLatencyMs.p95'], { goal: '< 1500', measured: 6_500, isMet: false });
  const line: unknown = JSON.parse(summaryLine(report));
  assert.deepEqual(Object.keys(line as object), ['eval', 'metrics', 'goals']);
});

test('a run whose alarms never arrived reports recall 0 and no latency', () => {
  const broken = run({ alarms: [{ id: 'evt_1', type: 'scan_avoidance', atMs: 18_000, fromMs: 10_000, toMs: 12_000, arrivedMs: null }] });
  const m = buildReport(options, [broken], detection, new Date(0)).metrics;
  assert.deepEqual(m.events.scan_avoidance, { tp: 0, fp: 0, fn: 1, precision: null, recall: 0 });
  assert.equal(m.alarms.delivered, 0);
  assert.equal(m.alarms.latencyMs.p95, null);
});

test('the HTML page is self-contained and escapes every text it shows', () => {
  const report = buildReport(options, [run({ model: { name: '<script>alert(1)</script>' } })], detection, new Date(0));
  const html = renderReportHtml(report);
  assert.ok(!html.includes('<script'), 'no script element, not even from the model name');
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(!/(src|href)=/.test(html), 'no external asset');
  for (const title of ['mAP@0.5 per class', 'precision and recall per rule', 'latency per detected incident', 'share of frames reaching the model', 'milliseconds per frame by stage']) {
    assert.ok(html.includes(title), title);
  }
  assert.ok((html.match(/<svg /g) ?? []).length >= 5);
});

test('the report splits latency into its parts and counts how often the incidents\u2019 objects were seen', () => {
  const alarms = [{ id: 'evt_1', type: 'scan_avoidance', atMs: 18_000, fromMs: 10_000, toMs: 12_000, arrivedMs: 18_500, queuedMs: 18_200, ruleWaitMs: 4_000 }];
  const report = buildReport(options, [run({ alarms })], detection, new Date(0), { frames: 8, asItsClass: 2, asOtherClass: { hand: 5 } });
  assert.deepEqual(report.metrics.alarms.latencyPartsMs, {
    toDecisionMs: { p50: 6_000, p95: 6_000 }, ruleWaitMs: { p50: 4_000, p95: 4_000 }, queueMs: { p50: 200, p95: 200 }, deliveryMs: { p50: 300, p95: 300 },
  });
  assert.deepEqual(report.metrics.incidentObjects, { frames: 8, asItsClass: 2, asOtherClass: { hand: 5 }, share: 0.25 });
  assert.match(renderReportHtml(report), /found as their class in 2 of 8 frames[^<]*only as hand in 5/);
});
