import { precision, recall } from '../../test/scenarios/score.js';
import type { RuleReport } from '../../test/scenarios/evaluate.js';

export const GOAL = 0.95;

const fixed = (v: number): string => v.toFixed(3);

function row(r: RuleReport): string[] {
  if (!r.registered) return [r.rule, '-', '-', '-', '-', '-', '-', 'not registered'];
  const p = precision(r.score);
  const rc = recall(r.score);
  const dup = r.score.duplicates > 0 ? ` (${r.score.duplicates} dup)` : '';
  return [r.rule, `${r.scenarios}`, `${r.score.tp}`, `${r.score.fp}${dup}`, `${r.score.fn}`, fixed(p), fixed(rc), p >= GOAL && rc >= GOAL ? 'yes' : 'no'];
}

export function printTable(title: string, reports: readonly RuleReport[]): void {
  const header = ['rule', 'scenarios', 'TP', 'FP', 'FN', 'precision', 'recall', 'goal met'];
  const rows = reports.map(row);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  process.stdout.write(`\n${title}\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const r of rows) process.stdout.write(`${line(r)}\n`);
  process.stdout.write('\n');
}
