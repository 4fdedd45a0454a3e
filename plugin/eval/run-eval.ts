import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OnnxDetector } from '../inference/onnx-detector.js';
import { evaluateDetectorOn } from '../scenes/detector-evaluator.js';
import { buildReport, type EvalOptions, type EvalReport } from './eval-report.js';
import type { ProgressBar } from './progress-bar.js';
import { renderReportHtml } from './report-html.js';
import { runScenario, type ScenarioRun } from './scenario-runner.js';

const MODEL_DIR = fileURLToPath(new URL('../../models/retail-detector/', import.meta.url));
/** Frames sampled from each held-out seed's scene for mAP (the dataset's frame times, as the model card's). */
export const FRAMES_PER_SEED = 18;

export interface EvalRun {
  readonly report: EvalReport;
  readonly jsonPath: string;
  readonly htmlPath: string;
}

/** Scenario k plays seed `seed + k`; the analysis runs at 320x240 like the demo. */
export async function runEval(options: EvalOptions, outDir: string, progress: ProgressBar): Promise<EvalRun> {
  const startedAt = new Date();
  const runs: ScenarioRun[] = [];
  for (let k = 0; k < options.scenarios; k++) {
    const seed = options.seed + k;
    const label = `scenario ${k + 1}/${options.scenarios} (${options.scene} seed ${seed})`;
    runs.push(await runScenario({ scene: options.scene, seed, seconds: options.seconds, fps: options.fps, width: 320, height: 240 }, (at, total) => {
      progress.update(label, k + at / total, options.scenarios + 1);
    }));
  }
  progress.update('detection mAP@0.5 on the held-out frames', options.scenarios, options.scenarios + 1);
  const detector = await OnnxDetector.create({ modelPath: join(MODEL_DIR, 'retail-detector.onnx'), manifestPath: join(MODEL_DIR, 'manifest.json'), threshold: 0.05, poolSize: 1 });
  const seeds = runs.map((r) => r.spec.seed);
  const detection = await evaluateDetectorOn(detector, seeds, FRAMES_PER_SEED, [options.scene]).finally(() => detector.close());
  progress.update('done', 1, 1);
  progress.done();
  const report = buildReport(options, runs, detection, startedAt);
  await mkdir(outDir, { recursive: true });
  const jsonPath = join(outDir, 'eval.json');
  const htmlPath = join(outDir, 'eval.html');
  await writeFile(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(htmlPath, renderReportHtml(report));
  return { report, jsonPath, htmlPath };
}
