// Scenario benchmark of the lane rules: simulated checkouts, shop floors and exits with known ground truth,
// rendered to detections and run through the real tracker, zone tracker and rules; event-level precision/recall.
// Usage: npm run eval:rules -- [--scenarios N] [--seed S] [--rule NAME …] [--clean-pos] [--verbose]
import { benchArgs } from './rules/args.js';
import { printMistakes } from './rules/mistakes.js';
import { GOAL, printTable } from './rules/table.js';
import { evaluateRule, type RuleReport } from '../test/scenarios/evaluate.js';
import { precision, recall } from '../test/scenarios/score.js';
import { SUITES } from '../test/scenarios/suite.js';

function progress(rule: string): (done: number, total: number) => void {
  return (done, total) => {
    if (done === total || done % 25 === 0) process.stderr.write(`${rule.padEnd(22)} ${done}/${total}\n`);
  };
}

function summary(reports: readonly RuleReport[]) {
  const scored = reports.filter((r) => r.registered);
  const metrics = Object.fromEntries(scored.map((r) => [r.rule, { precision: round(precision(r.score)), recall: round(recall(r.score)) }]));
  const baseline = Object.fromEntries(scored.map((r) => [r.rule, { precision: GOAL, recall: GOAL }]));
  const worst = Math.min(...scored.map((r) => Math.min(precision(r.score), recall(r.score))));
  return {
    bench: 'rules',
    metrics,
    baseline,
    ratio: scored.length === 0 ? 0 : round(worst / GOAL),
    goal: 'precision and recall ≥ 0.95 on every rule',
    notRegistered: reports.filter((r) => !r.registered).map((r) => r.rule),
  };
}

const round = (v: number): number => Math.round(v * 1000) / 1000;

function main(): void {
  const args = benchArgs(process.argv.slice(2));
  const suites = SUITES.filter((s) => args.only.length === 0 || args.only.includes(s.rule));
  const reports = suites.map((suite) => {
    const report = evaluateRule(suite, { count: args.scenarios, seed: args.seed, cleanPos: args.cleanPos, onScenario: progress(suite.rule) });
    if (!report.registered) process.stderr.write(`${suite.rule.padEnd(22)} not registered, skipped\n`);
    return report;
  });
  printTable(`eval:rules — ${args.scenarios} scenarios per rule, seed ${args.seed}${args.cleanPos ? ', clean POS feed' : ''}`, reports);
  if (args.verbose) printMistakes(reports);
  process.stdout.write(`${JSON.stringify(summary(reports))}\n`);
}

main();
