import { join } from 'node:path';
import { InferenceEngine, decodeImageFile, resolveModelConfig } from '../../plugin/inference/index.js';
import { percentile } from '../support/report.js';

export interface DetectorStage {
  /** preprocess + run + decode + NMS per frame, median ms. */
  readonly stageMs: number;
  /** `session.run` alone on the same prepared tensor, median ms. */
  readonly bareRunMs: number;
  /** Median of stage / bare over back-to-back pairs: robust to the load of a shared box drifting during the run. */
  readonly ratio: number;
  readonly preprocessMs: number;
  readonly decodeMs: number;
  readonly detections: number;
  readonly iterations: number;
}

const median = (values: number[]): number => percentile([...values].sort((a, b) => a - b), 50);

/**
 * NanoDet-m on a 640x424 photo, the whole detector stage beside a bare `session.run` on the tensor the stage
 * prepared, interleaved so both see the same load on a shared box.
 */
export async function measureDetectorStage(modelDir: string, iterations: number): Promise<DetectorStage> {
  const { manifest, classes } = await resolveModelConfig({ decoder: 'nanodet' });
  const engine = await InferenceEngine.open(join(modelDir, 'nanodet_m.onnx'), manifest, classes);
  try {
    const image = await decodeImageFile(join(modelDir, 'person.jpg'));
    const { feeds } = engine.prepare(image);
    const stage: number[] = [];
    const bare: number[] = [];
    const pre: number[] = [];
    const dec: number[] = [];
    let detections = 0;
    for (let i = 0; i < iterations + 3; i += 1) {
      // Alternating which goes first, so neither always runs on caches the other warmed.
      const isStageFirst = i % 2 === 0;
      const tBare0 = isStageFirst ? 0 : performance.now();
      if (!isStageFirst) await engine.session.run(feeds);
      const t0 = performance.now();
      const result = await engine.infer(image);
      const t1 = performance.now();
      if (isStageFirst) await engine.session.run(feeds);
      const t2 = performance.now();
      if (i < 3) continue; // warm-up: first runs allocate and tune
      stage.push(t1 - t0);
      bare.push(isStageFirst ? t2 - t1 : t0 - tBare0);
      pre.push(result.timings.preprocessMs);
      dec.push(result.timings.decodeMs);
      detections = result.detections.length;
    }
    const ratios = stage.map((v, i) => v / (bare[i] ?? Number.NaN));
    return { stageMs: median(stage), bareRunMs: median(bare), ratio: median(ratios), preprocessMs: median(pre), decodeMs: median(dec), detections, iterations };
  } finally {
    await engine.close();
  }
}
