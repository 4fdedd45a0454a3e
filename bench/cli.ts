// npm run bench:cli: how long `vigil --help`, `vigil hub --help` and `vigil detect --help` take to answer, each
// paired in the same round with `node -e 0` (the floor: node's own start), so a loaded machine moves both.
// Runs the compiled CLI (bin/vigil.mjs with VIGIL_FROM_SOURCE=0: `npm run build` first). Last line: one JSON object.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const VIGIL = join(ROOT, 'bin', 'vigil.mjs');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const GOAL_MS = 300;
const COMMANDS: Record<string, string[]> = { help: ['--help'], hubHelp: ['hub', '--help'], detectHelp: ['detect', '--help'] };

function timeOnce(args: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, VIGIL_FROM_SOURCE: '0' }, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr.toString()}`);
  return ms;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const round1 = (n: number): number => Math.round(n * 10) / 10;

function main(): void {
  if (!existsSync(join(ROOT, 'dist', '.built'))) throw new Error('dist/ is not built: npm run build');
  const samples: Record<string, number[]> = { nodeE0: [], ...Object.fromEntries(Object.keys(COMMANDS).map((k) => [k, []])) };
  timeOnce([VIGIL, '--help']); // warm the file cache
  for (let round = 0; round < ROUNDS; round += 1) {
    samples['nodeE0']?.push(timeOnce(['-e', '0']));
    for (const [name, args] of Object.entries(COMMANDS)) samples[name]?.push(timeOnce([VIGIL, ...args]));
  }
  const baseline = median(samples['nodeE0'] ?? []);
  const metrics: Record<string, number> = {};
  process.stdout.write(`${ROUNDS} paired rounds, median wall time (ms)\n`);
  process.stdout.write(`  node -e 0              ${round1(baseline).toString().padStart(7)}\n`);
  for (const name of Object.keys(COMMANDS)) {
    const value = median(samples[name] ?? []);
    metrics[`${name}Ms`] = round1(value);
    metrics[`${name}OverNodeMs`] = round1(value - baseline);
    process.stdout.write(`  vigil ${(COMMANDS[name] ?? []).join(' ').padEnd(16)} ${round1(value).toString().padStart(7)}  (+${round1(value - baseline)} over node -e 0)\n`);
  }
  const worst = Math.max(...Object.keys(COMMANDS).map((name) => median(samples[name] ?? [])));
  process.stdout.write(`${JSON.stringify({ bench: 'cli', metrics, baseline: { nodeE0Ms: round1(baseline) }, ratio: round1(worst / baseline), goal: `every --help under ${GOAL_MS} ms` })}\n`);
}

main();
