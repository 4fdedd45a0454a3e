import type { Detection } from '../../contracts/index.js';
import type { ModelIo } from './decoders/decoder.js';
import type { StageTimings, SessionSettings } from './inference-engine.js';
import type { Manifest, ResolvedManifest } from './manifest.js';
import type { ImageView } from './preprocess.js';

/** Messages between the pool (main thread) and an inference worker. Both sides are ours; only these shapes cross. */
export interface WorkerInit {
  readonly modelPath: string;
  readonly manifest: Manifest;
  readonly classes: readonly string[];
  readonly session: SessionSettings;
}

export interface SerialisedError {
  readonly code: string;
  readonly message: string;
}

export interface DetectRequest {
  readonly type: 'detect';
  readonly id: number;
  readonly width: number;
  readonly height: number;
  readonly format: ImageView['format'];
  /** The frame's pixels; transferred, then transferred back in the reply for reuse. */
  readonly buffer: ArrayBuffer;
}

export type WorkerReply =
  | { readonly type: 'ready'; readonly manifest: ResolvedManifest; readonly io: ModelIo }
  | { readonly type: 'failed'; readonly error: SerialisedError }
  | { readonly type: 'result'; readonly id: number; readonly detections: Detection[]; readonly timings: StageTimings; readonly buffer: ArrayBuffer }
  | { readonly type: 'error'; readonly id: number; readonly error: SerialisedError; readonly buffer: ArrayBuffer };
