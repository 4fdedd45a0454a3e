import type { RuleReport, ScenarioOutcome } from '../../test/scenarios/evaluate.js';
import { addScore, emptyScore, type Score } from '../../test/scenarios/score.js';

const secs = (o: ScenarioOutcome, t: number): string => `${((t - o.scenario.start) / 1000).toFixed(1)}s`;

/** What the POS feed did in the scenario, for telling a rule's mistake from a feed it could not have trusted. */
function feed(o: ScenarioOutcome): string {
  const { outage, offsetMs, residualMs } = o.faults;
  const clock = `offset ${(offsetMs / 1000).toFixed(1)} s, residual ${residualMs} ms`;
  return outage === undefined ? clock : `${clock}, outage ${((outage.to - outage.from) / 1000).toFixed(1)} s from ${secs(o, outage.from)}`;
}

function line(o: ScenarioOutcome): string {
  const hits = o.hits.map((h) => `${secs(o, h.at)} ${h.explanation}`).join(' | ') || 'none';
  const truth = o.scenario.truth.map((t) => `${t.what} [${secs(o, t.from)}, ${secs(o, t.to)}]`).join('; ') || 'none';
  return `  ${o.scenario.name}: FP ${o.score.fp} FN ${o.score.fn}\n    hits: ${hits}\n    truth: ${truth}\n    POS: ${feed(o)}\n`;
}

/** Per rule: scores by scenario variant, then the scenarios it got wrong (for `--verbose`). */
export function printMistakes(reports: readonly RuleReport[]): void {
  for (const report of reports.filter((r) => r.registered)) {
    const variants = new Map<string, Score & { n: number }>();
    for (const o of report.outcomes) {
      const v = variants.get(o.scenario.variant) ?? { ...emptyScore(), n: 0 };
      variants.set(o.scenario.variant, { ...addScore(v, o.score), n: v.n + 1 });
    }
    const summary = [...variants].map(([name, s]) => `${name} ×${s.n}: TP ${s.tp} FP ${s.fp} FN ${s.fn}`).join('; ');
    process.stdout.write(`${report.rule} — ${summary}\n`);
    for (const o of report.outcomes) if (o.score.fp > 0 || o.score.fn > 0) process.stdout.write(line(o));
  }
}
