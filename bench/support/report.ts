/** Shared output of every benchmark: a readable table, then one JSON line last. */
export interface BenchResult {
  bench: string;
  metrics: Record<string, number>;
  baseline: Record<string, number>;
  ratio: number;
  goal: string;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export function printTable(title: string, rows: Array<[string, string, string]>): void {
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length), ['measure', 'value', 'baseline'][i]!.length));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`\n${title}\n${line(['measure', 'value', 'baseline'])}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
  process.stdout.write('\n');
}

/** A one-line bar chart, for progress and for figures side by side. */
export function bar(value: number, max: number, width = 40): string {
  const filled = max > 0 ? Math.round((value / max) * width) : 0;
  return `${'█'.repeat(Math.min(width, filled))}${'░'.repeat(Math.max(0, width - filled))}`;
}

export function emit(result: BenchResult): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
