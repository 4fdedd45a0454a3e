import type { z } from 'zod';
import type { ResolvedManifest } from '../manifest.js';

/** A tensor's declared shape: numbers for fixed dims, strings for symbolic (dynamic) ones. */
export type DeclaredShape = ReadonlyArray<number | string>;

export interface TensorInfo {
  readonly name: string;
  readonly shape: DeclaredShape;
  /** Element type as ORT names it ('float32', …). */
  readonly type: string;
}

/** The model's inputs and outputs as the session declares them. */
export interface ModelIo {
  readonly inputs: ReadonlyArray<TensorInfo>;
  readonly outputs: ReadonlyArray<TensorInfo>;
}

export interface OutputTensor {
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

/** A candidate box in model-input pixels, before NMS. */
export interface Candidate {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
  classId: number;
  keypoints?: Array<[number, number, number]>;
}

export interface Decoder {
  /** Output names the session must compute (after the decoder mapped them from shapes or the manifest). */
  readonly outputNames: readonly string[];
  /** Candidates whose class score passes that class's threshold, in model-input pixels. */
  decode(outputs: Readonly<Record<string, OutputTensor>>): Candidate[];
}

/** A decoder family registered under its manifest `decoder.type`, with its own validated config. */
export interface DecoderFactory<C = unknown> {
  readonly type: string;
  readonly configSchema: z.ZodType<C>;
  /** Checks the model's inputs/outputs against the decoder; throws AppError('model_mismatch') when they disagree. */
  create(config: C, manifest: ResolvedManifest, io: ModelIo): Decoder;
}

export function describeShapes(list: ModelIo['outputs']): string {
  return list.map((t) => `${t.name}[${t.shape.join(',')}]`).join(' ');
}
