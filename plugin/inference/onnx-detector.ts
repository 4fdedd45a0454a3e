import type { Detection, Detector, Frame } from '../../contracts/index.js';
import type { SessionSettings } from './inference-engine.js';
import type { ResolvedManifest } from './manifest.js';
import type { ModelConfigOptions } from './model-config.js';
import { resolveModelConfig } from './model-config.js';
import type { InferenceResult } from './worker-pool.js';
import { InferencePool } from './worker-pool.js';

export interface OnnxDetectorOptions extends ModelConfigOptions {
  readonly modelPath: string;
  /** Worker threads; default: the machine's cores. */
  readonly poolSize?: number;
  readonly session?: SessionSettings;
}

/**
 * The `Detector` capability over an ONNX model in a worker pool. `detect` transfers the frame's buffer to a
 * worker: afterwards `frame.data` is detached; use `detectFrame` to get the buffer back for reuse.
 */
export class OnnxDetector implements Detector {
  private constructor(private readonly pool: InferencePool) {}

  static async create(options: OnnxDetectorOptions): Promise<OnnxDetector> {
    const { manifest, classes } = await resolveModelConfig(options);
    const pool = await InferencePool.start({
      modelPath: options.modelPath,
      manifest,
      classes,
      ...(options.poolSize === undefined ? {} : { size: options.poolSize }),
      ...(options.session === undefined ? {} : { session: options.session }),
    });
    return new OnnxDetector(pool);
  }

  get modelName(): string {
    return this.pool.manifest.name;
  }

  get manifest(): ResolvedManifest {
    return this.pool.manifest;
  }

  async detect(frame: Frame): Promise<Detection[]> {
    return (await this.detectFrame(frame)).detections;
  }

  detectFrame(frame: Pick<Frame, 'width' | 'height' | 'format' | 'data'>): Promise<InferenceResult> {
    return this.pool.run(frame);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
