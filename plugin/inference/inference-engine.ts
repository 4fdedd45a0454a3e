import { basename } from 'node:path';
import * as ort from 'onnxruntime-node';
import { AppError, isAppError } from '../../contracts/index.js';
import type { Detection } from '../../contracts/index.js';
import type { ModelIo, OutputTensor, Decoder } from './decoders/decoder.js';
import { createDecoder } from './decoders/registry.js';
import type { Manifest, ResolvedManifest } from './manifest.js';
import { resolveManifest } from './manifest.js';
import { finaliseDetections } from './postprocess.js';
import type { ImageView } from './preprocess.js';
import { preprocess } from './preprocess.js';

export interface SessionSettings {
  /** Threads ORT may use inside one operator; 1 suits a box shared with other work. */
  readonly intraOpThreads: number;
  /** Busy-wait between operators: faster on a dedicated box, burns a core on a shared one. */
  readonly allowSpinning: boolean;
}

export const DEFAULT_SESSION_SETTINGS: SessionSettings = { intraOpThreads: 1, allowSpinning: false };

export interface StageTimings {
  preprocessMs: number;
  runMs: number;
  decodeMs: number;
}

export function sessionOptions(settings: SessionSettings): ort.InferenceSession.SessionOptions {
  const spin = settings.allowSpinning ? '1' : '0';
  return {
    intraOpNumThreads: settings.intraOpThreads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // 3 = error: the NanoDet export lists its initialisers as graph inputs, which ORT warns about once per tensor.
    logSeverityLevel: 3,
    extra: { session: { intra_op: { allow_spinning: spin }, inter_op: { allow_spinning: spin } } },
  };
}

function describeIo(session: ort.InferenceSession): ModelIo {
  const pick = (list: readonly ort.InferenceSession.ValueMetadata[]): ModelIo['inputs'] =>
    list.map((m) => ({ name: m.name, shape: m.isTensor ? m.shape : [], type: m.isTensor ? m.type : 'non-tensor' }));
  return { inputs: pick(session.inputMetadata), outputs: pick(session.outputMetadata) };
}

async function openSession(modelPath: string, settings: SessionSettings): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(modelPath, sessionOptions(settings));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('model_invalid', `${modelPath} is not a loadable ONNX model: ${reason}`, { cause: error });
  }
}

function pickInput(io: ModelIo, manifest: Manifest): { name: string; width: number | undefined; height: number | undefined } {
  const wanted = manifest.input.name;
  const input = wanted === undefined ? io.inputs[0] : io.inputs.find((i) => i.name === wanted);
  if (input === undefined || (wanted === undefined && io.inputs.length !== 1)) {
    throw new AppError('model_mismatch', `choose the image input with input.name; model inputs: ${io.inputs.map((i) => i.name).join(', ')}`);
  }
  if (input.type !== 'float32') throw new AppError('model_mismatch', `input ${input.name} is ${input.type}; the preprocessing writes float32`);
  const [n, c, h, w] = input.shape;
  if (input.shape.length !== 4 || (typeof c === 'number' && c !== 3) || (typeof n === 'number' && n !== 1)) {
    throw new AppError('model_mismatch', `input ${input.name}[${input.shape.join(',')}] is not an NCHW image [1,3,H,W]`);
  }
  return { name: input.name, width: typeof w === 'number' ? w : undefined, height: typeof h === 'number' ? h : undefined };
}

/**
 * One ONNX session with its manifest and decoder: preprocess -> run -> decode -> NMS. Runs inside a worker
 * thread in production (ORT's run occupies the calling thread); usable directly by tests and benchmarks.
 */
export class InferenceEngine {
  private tensorData: Float32Array | undefined;

  private constructor(
    readonly session: ort.InferenceSession,
    readonly manifest: ResolvedManifest,
    readonly io: ModelIo,
    private readonly decoder: Decoder,
  ) {}

  static async open(modelPath: string, manifest: Manifest, classes: readonly string[], settings = DEFAULT_SESSION_SETTINGS): Promise<InferenceEngine> {
    const session = await openSession(modelPath, settings);
    try {
      const io = describeIo(session);
      const input = pickInput(io, manifest);
      const resolved = resolveManifest(manifest, classes, { inputName: input.name, width: input.width, height: input.height, fallbackName: basename(modelPath) });
      if ((input.width ?? resolved.input.width) !== resolved.input.width || (input.height ?? resolved.input.height) !== resolved.input.height) {
        throw new AppError('model_mismatch', `manifest input ${resolved.input.width}x${resolved.input.height} differs from the model's ${input.width}x${input.height}`);
      }
      return new InferenceEngine(session, resolved, io, createDecoder(resolved, io));
    } catch (error) {
      await session.release();
      throw isAppError(error) ? error : new AppError('model_mismatch', String(error), { cause: error });
    }
  }

  /** The input tensor for an image, written into a buffer reused across calls. */
  prepare(image: ImageView): { feeds: Record<string, ort.Tensor>; letterbox: ReturnType<typeof preprocess>['letterbox'] } {
    const { width, height } = this.manifest.input;
    const { tensor, letterbox } = preprocess(image, this.manifest.input, this.tensorData);
    this.tensorData = tensor;
    return { feeds: { [this.manifest.input.name]: new ort.Tensor('float32', tensor, [1, 3, height, width]) }, letterbox };
  }

  async infer(image: ImageView): Promise<{ detections: Detection[]; timings: StageTimings }> {
    const t0 = performance.now();
    const { feeds, letterbox } = this.prepare(image);
    const t1 = performance.now();
    const results = await this.session.run(feeds, [...this.decoder.outputNames]);
    const t2 = performance.now();
    const outputs: Record<string, OutputTensor> = {};
    for (const [name, value] of Object.entries(results)) {
      if (value.type !== 'float32') throw new AppError('model_mismatch', `output ${name} is ${value.type}, the decoders read float32`);
      outputs[name] = { dims: value.dims, data: value.data as Float32Array };
    }
    const detections = finaliseDetections(this.decoder.decode(outputs), this.manifest, letterbox);
    const t3 = performance.now();
    return { detections, timings: { preprocessMs: t1 - t0, runMs: t2 - t1, decodeMs: t3 - t2 } };
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
