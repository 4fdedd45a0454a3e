import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import type { EvalReport } from './eval-report.js';

const VIGIL = fileURLToPath(new URL('../../bin/vigil.mjs', import.meta.url));

/** Runs the CLI from the sources and resolves with its exit code and output once it exits. */
function vigil(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VIGIL, ...args], { env: { ...process.env, VIGIL_FROM_SOURCE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const inUnit = (v: number | null | undefined): boolean => v === null || (typeof v === 'number' && v >= 0 && v <= 1);

test('vigil eval plays a held-out checkout scenario through the real plugin and writes every section of its report', { timeout: 150_000 }, async (t) => {
  const out = await mkdtemp(join(tmpdir(), 'vigil-eval-test-'));
  t.after(() => rm(out, { recursive: true, force: true }));
  const { code, stdout, stderr } = await vigil(['eval', '--scenarios', '1', '--seconds', '30', '--seed', '100001', '--out', out, '--json']);
  assert.equal(code, 0, stderr);
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, 1, '--json prints only the summary line');
  const summary = JSON.parse(lines.at(-1) ?? '') as Pick<EvalReport, 'eval' | 'metrics' | 'goals'>;
  assert.equal(summary.eval, 'vigil-eval');
  const report = JSON.parse(await readFile(join(out, 'eval.json'), 'utf8')) as EvalReport;
  assert.deepEqual(report.metrics, summary.metrics);
  const m = report.metrics;
  // The pipeline ran: frames were decoded and analysed, some reached the model, the model saw held-out frames.
  assert.ok(m.frames.analysed >= 50, `${m.frames.analysed} frames analysed`);
  assert.ok(m.frames.reachedModel > 0 && inUnit(m.frames.share));
  assert.ok(m.detection.frames > 0 && inUnit(m.detection.map50));
  for (const cls of ['person', 'hand', 'product']) assert.ok(inUnit(m.detection.classes[cls]?.ap50), cls);
  // Every incident of the truth is scored (found or missed), and every alarm raised reached the VMS receiver.
  const scan = m.events.scan_avoidance;
  assert.ok(scan !== undefined);
  assert.equal(scan.tp + scan.fn, report.scenarios[0]?.incidents);
  assert.ok((report.scenarios[0]?.incidents ?? 0) >= 1, 'the incident script plays one scan avoidance a transaction');
  assert.ok(inUnit(scan.precision) && inUnit(scan.recall));
  assert.equal(m.alarms.delivered, m.alarms.raised, 'an alarm was raised but never reached the Milestone receiver');
  // The incident's product was looked for in every frame it was visible in, and the latency parts add up.
  assert.ok(m.incidentObjects.frames > 0 && m.incidentObjects.asItsClass <= m.incidentObjects.frames && inUnit(m.incidentObjects.share));
  const parts = m.alarms.latencyPartsMs;
  if (m.alarms.latencyMs.count > 0) assert.ok(parts.toDecisionMs.p50 !== null && parts.queueMs.p50 !== null && parts.deliveryMs.p50 !== null && parts.ruleWaitMs.p50 !== null);
  for (const v of [m.stageMs.motion, m.stageMs.inference, m.stageMs.tracking, m.stageMs.rules]) assert.ok(Number.isFinite(v) && v >= 0);
  assert.ok(m.stageMs.inference > 0);
  for (const goal of ['map50.person', 'map50.hand', 'map50.product', 'scan_avoidance.precision', 'scan_avoidance.recall', 'alarmLatencyMs.p95']) {
    assert.equal(typeof report.goals[goal]?.isMet, 'boolean', goal);
  }
  const html = await readFile(join(out, 'eval.html'), 'utf8');
  assert.ok(html.startsWith('<!doctype html>') && (html.match(/<svg /g) ?? []).length >= 5);
});

test('vigil eval refuses a training seed', async () => {
  const { code, stderr } = await vigil(['eval', '--seed', '7', '--json']);
  assert.equal(code, 1);
  assert.match(stderr, /trained the detector/);
});
