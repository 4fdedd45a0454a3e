import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OnnxDetector } from '../inference/onnx-detector.js';
import { loadManifest } from '../inference/manifest.js';
import { evaluateDetectorOn, type Evaluation } from '../scenes/detector-evaluator.js';
import { buildReport, type EvalOptions, type EvalReport } from './eval-report.js';
import type { ProgressBar } from './progress-bar.js';
import { emptySightings, sightIncidents, type IncidentSightings } from './incident-sightings.js';
import { renderReportHtml } from './report-html.js';
import { runScenario, type ScenarioRun } from './scenario-runner.js';
import { RETAIL_MODEL_DIR } from './model-dir.js';

const MODEL_DIR = RETAIL_MODEL_DIR;
/** Frames sampled from each held-out seed's scene for mAP (the dataset's frame times, as the model card's). */
export const FRAMES_PER_SEED = 18;

export interface EvalRun {
  readonly report: EvalReport;
  readonly jsonPath: string;
  readonly htmlPath: string;
}

/**
 * The detector alone on the scenarios' seeds: mAP@0.5 on the dataset's frame times (threshold 0.05, the whole
 * curve), and how often it saw each incident's object at the plugin's thresholds (the manifest's).
 */
async function scoreDetector(runs: readonly ScenarioRun[], scene: EvalOptions['scene']): Promise<{ detection: Evaluation; sightings: IncidentSightings }> {
  const detector = await OnnxDetector.create({ modelPath: join(MODEL_DIR, 'retail-detector.onnx'), manifestPath: join(MODEL_DIR, 'manifest.json'), threshold: 0.05, poolSize: 1 });
  try {
    const { manifest } = await loadManifest(join(MODEL_DIR, 'manifest.json'));
    const thresholdOf = (label: string) => manifest.classThresholds[label] ?? manifest.scoreThreshold;
    const detection = await evaluateDetectorOn(detector, runs.map((r) => r.spec.seed), FRAMES_PER_SEED, [scene]);
    let sightings = emptySightings();
    for (const run of runs) sightings = await sightIncidents(detector, run.spec, thresholdOf, sightings);
    return { detection, sightings };
  } finally {
    await detector.close();
  }
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
  const { detection, sightings } = await scoreDetector(runs, options.scene);
  progress.update('done', 1, 1);
  progress.done();
  const report = buildReport(options, runs, detection, startedAt, sightings);
  await mkdir(outDir, { recursive: true });
  const jsonPath = join(outDir, 'eval.json');
  const htmlPath = join(outDir, 'eval.html');
  await writeFile(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(htmlPath, renderReportHtml(report));
  return { report, jsonPath, htmlPath };
}
