// npm run bench:cli: how long `vigil --help`, `vigil hub --help` and `vigil detect --help` take to answer, each
// paired in the same round with `node -e 0` (the floor: node's own start), so a loaded machine moves both; and
// `vigil detect` on one image paired with the model's own load.
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
const DETECT_GOAL_MS = 1000;
// `vigil detect` on one real image, paired with the model's own load (node starting onnxruntime-node and creating
// the session for the same file): what the CLI adds beyond the model. Needs ../shared/models/nanodet-m.
const MODEL_DIR = join(ROOT, '..', 'shared', 'models', 'nanodet-m');
const DETECT = ['detect', '--model', join(MODEL_DIR, 'nanodet_m.onnx'), '--decoder', 'nanodet', join(MODEL_DIR, 'bus.jpg')];
const MODEL_LOAD = ['--input-type=module', '-e', `const ort = await import('onnxruntime-node'); await ort.InferenceSession.create(${JSON.stringify(join(MODEL_DIR, 'nanodet_m.onnx'))});`];

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
  const withModel = existsSync(join(MODEL_DIR, 'nanodet_m.onnx'));
  if (!withModel) process.stdout.write(`(no ${MODEL_DIR}: vigil detect on an image is not measured)\n`);
  samples['detect'] = [];
  samples['modelLoad'] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    samples['nodeE0']?.push(timeOnce(['-e', '0']));
    for (const [name, args] of Object.entries(COMMANDS)) samples[name]?.push(timeOnce([VIGIL, ...args]));
    if (withModel && round < Math.min(ROUNDS, 7)) {
      samples['modelLoad']?.push(timeOnce(MODEL_LOAD));
      samples['detect']?.push(timeOnce([VIGIL, ...DETECT]));
    }
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
  const baselines: Record<string, number> = { nodeE0Ms: round1(baseline) };
  if (withModel) {
    const load = median(samples['modelLoad'] ?? []);
    const detect = median(samples['detect'] ?? []);
    baselines['modelLoadMs'] = round1(load);
    metrics['detectOneImageMs'] = round1(detect);
    metrics['detectOverModelLoadMs'] = round1(detect - load);
    process.stdout.write(`  model load (node + ORT session) ${round1(load).toString().padStart(7)}\n`);
    process.stdout.write(`  vigil detect, one image        ${round1(detect).toString().padStart(7)}  (+${round1(detect - load)} over the model's own load; goal under ${DETECT_GOAL_MS})\n`);
  }
  const worst = Math.max(...Object.keys(COMMANDS).map((name) => median(samples[name] ?? [])));
  process.stdout.write(`${JSON.stringify({ bench: 'cli', metrics, baseline: baselines, ratio: round1(worst / baseline), goal: `every --help under ${GOAL_MS} ms; vigil detect on one image under ${DETECT_GOAL_MS} ms beyond the model's load` })}\n`);
}

main();
