import type { Command } from 'commander';
import { z } from 'zod';
import { AppError } from '../../contracts/index.js';

const DEFAULT_OUT = '.vigil/eval';
/** Training seeds are 1..100 (models/training/README.md); the held-out ones start at 100000. */
const LAST_TRAINING_SEED = 100;

const evalSchema = z.strictObject({
  scenarios: z.coerce.number().int().min(1).max(100),
  seed: z.coerce.number().int().min(LAST_TRAINING_SEED + 1, `seeds 1..${LAST_TRAINING_SEED} trained the detector; pick a held-out seed (100000 and up)`).max(0xffff_ff00),
  scene: z.enum(['checkout', 'aisle']),
  seconds: z.coerce.number().int().min(10).max(600),
  fps: z.coerce.number().int().min(1).max(15),
  out: z.string().min(1),
  json: z.boolean().default(false),
});

/**
 * `vigil eval`: held-out synthetic scenarios through the real plugin (RTSP camera, decode, motion gate, model,
 * tracker, rules with the lane's POS journal, clips, Milestone alarm), scored against the scenes' truth.
 */
export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description('run held-out synthetic scenarios through the real plugin pipeline and report detection, event and alarm figures against their truth')
    .option('--scenarios <n>', 'scenarios to play, one after another in real time', '2')
    .option('--seed <s>', 'seed of the first scenario (the next ones count up); held-out seeds start at 100000', '100000')
    .option('--scene <scene>', 'checkout (scan avoidance with the POS journal) | aisle (concealment)', 'checkout')
    .option('--seconds <s>', 'scene time a scenario (a checkout transaction takes 30 s)', '30')
    .option('--fps <n>', 'camera and analysis frame rate', '5')
    .option('--out <dir>', `where eval.json and eval.html go (default ${DEFAULT_OUT})`, DEFAULT_OUT)
    .option('--json', 'print only the summary JSON line')
    .action(async (raw: Record<string, unknown>) => {
      const parsed = evalSchema.safeParse(raw);
      if (!parsed.success) throw new AppError('bad_request', z.prettifyError(parsed.error));
      const { out, json, ...options } = parsed.data;
      const { runEval } = await import('../eval/run-eval.js');
      const { ProgressBar } = await import('../eval/progress-bar.js');
      const { summaryLine } = await import('../eval/eval-report.js');
      const { printSummary } = await import('../eval/summary-table.js');
      const result = await runEval(options, out, new ProgressBar(json ? null : process.stderr));
      if (!json) printSummary(result.report, result, (line) => process.stdout.write(`${line}\n`));
      process.stdout.write(`${summaryLine(result.report)}\n`);
    });
}
