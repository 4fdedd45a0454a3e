import type { Evaluation } from '../scenes/detector-evaluator.js';
import { matchScenario, precisionOf, recallOf, type LatencyParts, type RuleScore } from './event-matcher.js';
import { emptySightings, type IncidentSightings } from './incident-sightings.js';
import type { ScenarioRun } from './scenario-runner.js';
import { sumTotals } from './stage-clock.js';

/** Issue 16's goals; `vigil eval` prints them beside what it measured, met or not. */
export const GOALS = { map50: 0.9, precision: 0.9, recall: 0.9, latencyP95Ms: 1500 } as const;
export const MATCH_TOLERANCE_MS = 3_000;

export interface EvalOptions {
  readonly scenarios: number;
  readonly seed: number;
  readonly scene: 'checkout' | 'aisle';
  readonly seconds: number;
  readonly fps: number;
}

export interface Goal {
  readonly goal: string;
  readonly measured: number | null;
  readonly isMet: boolean;
}

export interface EvalMetrics {
  readonly detection: { readonly frames: number; readonly map50: number | null; readonly classes: Record<string, { ap50: number | null; truths: number }> };
  /** How often the detector saw the incidents' objects while the incidents ran (IncidentSightings), with the share. */
  readonly incidentObjects: IncidentSightings & { readonly share: number | null };
  readonly events: Record<string, RuleScore & { precision: number | null; recall: number | null }>;
  readonly alarms: {
    readonly raised: number;
    readonly delivered: number;
    readonly latencyMs: { count: number; p50: number | null; p95: number | null; max: number | null };
    /** p50 and p95 of each part of the latency (LatencyParts): to the rule's decision, its own wait, queueing, delivery. */
    readonly latencyPartsMs: Record<LatencyPart, { p50: number | null; p95: number | null }>;
  };
  readonly frames: { readonly analysed: number; readonly reachedModel: number; readonly share: number | null };
  /** Mean milliseconds a frame spends in each stage (inference: per frame that reached the model; decode: ffmpeg CPU). */
  readonly stageMs: { readonly decode: number | null; readonly motion: number; readonly inference: number; readonly tracking: number; readonly rules: number };
}

export interface EvalReport {
  readonly eval: 'vigil-eval';
  readonly startedAt: string;
  readonly options: EvalOptions;
  readonly model: string;
  readonly metrics: EvalMetrics;
  readonly goals: Record<string, Goal>;
  readonly scenarios: ReadonlyArray<{ readonly scene: string; readonly seed: number; readonly incidents: number; readonly alarms: number; readonly rules: Record<string, RuleScore>; readonly latenciesMs: number[] }>;
}

type LatencyPart = Exclude<keyof LatencyParts, 'totalMs'>;
const LATENCY_PARTS: readonly LatencyPart[] = ['toDecisionMs', 'ruleWaitMs', 'queueMs', 'deliveryMs'];

function latencyPartsOf(parts: readonly LatencyParts[]): Record<LatencyPart, { p50: number | null; p95: number | null }> {
  const of = (part: LatencyPart) => {
    const values = parts.flatMap((p) => (p[part] === null ? [] : [p[part]]));
    return { p50: nullableRound(percentileOf(values, 50)), p95: nullableRound(percentileOf(values, 95)) };
  };
  return Object.fromEntries(LATENCY_PARTS.map((part) => [part, of(part)])) as Record<LatencyPart, { p50: number | null; p95: number | null }>;
}

const finite = (v: number): number | null => (Number.isFinite(v) ? round(v) : null);
const round = (v: number): number => Math.round(v * 1000) / 1000;

export function percentileOf(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? null;
}

const atLeast = (goal: number, measured: number | null): Goal => ({ goal: `>= ${goal}`, measured, isMet: measured !== null && measured >= goal });

function goalsOf(m: EvalMetrics): Record<string, Goal> {
  const goals: Record<string, Goal> = {};
  for (const cls of ['person', 'hand', 'product']) goals[`map50.${cls}`] = atLeast(GOALS.map50, m.detection.classes[cls]?.ap50 ?? null);
  for (const [rule, s] of Object.entries(m.events)) {
    goals[`${rule}.precision`] = atLeast(GOALS.precision, s.precision);
    goals[`${rule}.recall`] = atLeast(GOALS.recall, s.recall);
  }
  const p95 = m.alarms.latencyMs.p95;
  goals['alarmLatencyMs.p95'] = { goal: `< ${GOALS.latencyP95Ms}`, measured: p95, isMet: p95 !== null && p95 < GOALS.latencyP95Ms };
  return goals;
}

/** The report of one evaluation: detection mAP, event scores per rule, alarm latency, frame share, stage times. */
export function buildReport(options: EvalOptions, runs: readonly ScenarioRun[], detection: Evaluation, startedAt: Date, sightings: IncidentSightings = emptySightings()): EvalReport {
  const matches = runs.map((r) => matchScenario(r.incidents, r.alarms, r.rules, MATCH_TOLERANCE_MS));
  const totals: Record<string, RuleScore> = {};
  for (const match of matches) {
    for (const [rule, s] of Object.entries(match.rules)) {
      const t = (totals[rule] ??= { tp: 0, fp: 0, fn: 0 });
      t.tp += s.tp;
      t.fp += s.fp;
      t.fn += s.fn;
    }
  }
  const latencies = matches.flatMap((m) => m.latenciesMs);
  const stages = sumTotals(runs.map((r) => r.stages));
  const perFrame = (ms: number, n: number): number => (n === 0 ? 0 : round(ms / n));
  const raised = runs.reduce((n, r) => n + r.alarms.length, 0);
  const metrics: EvalMetrics = {
    detection: {
      frames: detection.frames, map50: finite(detection.map50),
      classes: Object.fromEntries(Object.entries(detection.classes).map(([cls, v]) => [cls, { ap50: finite(v.ap50), truths: v.truths }])),
    },
    incidentObjects: { ...sightings, share: sightings.frames === 0 ? null : round(sightings.asItsClass / sightings.frames) },
    events: Object.fromEntries(Object.entries(totals).map(([rule, s]) => [rule, { ...s, precision: nullableRound(precisionOf(s)), recall: nullableRound(recallOf(s)) }])),
    alarms: {
      raised, delivered: raised - matches.reduce((n, m) => n + m.undelivered, 0),
      latencyMs: { count: latencies.length, p50: nullableRound(percentileOf(latencies, 50)), p95: nullableRound(percentileOf(latencies, 95)), max: nullableRound(percentileOf(latencies, 100)) },
      latencyPartsMs: latencyPartsOf(matches.flatMap((m) => m.latencies)),
    },
    frames: { analysed: stages.frames, reachedModel: stages.detected, share: stages.frames === 0 ? null : round(stages.detected / stages.frames) },
    stageMs: {
      decode: stages.decodeCpuMs === null ? null : perFrame(stages.decodeCpuMs, stages.frames),
      motion: perFrame(stages.motionMs, stages.frames), inference: perFrame(stages.inferenceMs, stages.detected),
      tracking: perFrame(stages.trackingMs, stages.frames), rules: perFrame(stages.rulesMs, stages.frames),
    },
  };
  return {
    eval: 'vigil-eval', startedAt: startedAt.toISOString(), options, model: runs[0]?.model.name ?? 'unknown', metrics, goals: goalsOf(metrics),
    scenarios: runs.map((r, k) => ({
      scene: r.spec.scene, seed: r.spec.seed, incidents: r.incidents.length, alarms: r.alarms.length,
      rules: matches[k]?.rules ?? {}, latenciesMs: (matches[k]?.latenciesMs ?? []).map(round),
    })),
  };
}

const nullableRound = (v: number | null): number | null => (v === null ? null : finite(v));

/** The last line of stdout: one JSON object with the metrics and the goals. */
export function summaryLine(report: EvalReport): string {
  return JSON.stringify({ eval: report.eval, metrics: report.metrics, goals: report.goals });
}
