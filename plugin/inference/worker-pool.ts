import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError, ERROR_CODES } from '../../contracts/index.js';
import type { Detection, Detector, ErrorCode, Frame } from '../../contracts/index.js';
import type { ModelIo } from './decoders/decoder.js';
import type { SessionSettings, StageTimings } from './inference-engine.js';
import { DEFAULT_SESSION_SETTINGS } from './inference-engine.js';
import type { Manifest, ResolvedManifest } from './manifest.js';
import type { ImageView } from './preprocess.js';
import type { SerialisedError, WorkerInit, WorkerReply } from './worker-protocol.js';
import { verifyModelDigest } from './model-digest.js';

export interface PoolOptions {
  readonly modelPath: string;
  readonly manifest: Manifest;
  readonly classes: readonly string[];
  /** Worker threads, each with its own session; default: the machine's cores. */
  readonly size?: number;
  readonly session?: SessionSettings;
}

export interface InferenceResult {
  readonly detections: Detection[];
  /** The frame's pixels, back from the worker: the caller may reuse this buffer for a later frame. */
  readonly data: Uint8Array;
  readonly timings: StageTimings;
  /** Which worker ran it (0-based), for benchmarks and load checks. */
  readonly worker: number;
}

interface Job {
  readonly id: number;
  readonly image: ImageView;
  readonly resolve: (result: InferenceResult) => void;
  readonly reject: (error: AppError) => void;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
  /** Its worker died and no replacement is running yet. */
  isDead: boolean;
}

// From source (tests, tsx) the entry is TypeScript; from dist/ it is the compiled `.js` beside this file.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(`./inference-worker${FROM_SOURCE ? '.ts' : '.js'}`, import.meta.url);
// Node 20 resolves a worker's entry before hooks from `execArgv: ['--import', 'tsx']` apply, so a .ts entry fails
// with ERR_UNKNOWN_FILE_EXTENSION (checked on 20.20). Registering tsx's loader first, then importing the entry, works.
const BOOTSTRAP = FROM_SOURCE
  ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`
  : `import(${JSON.stringify(WORKER_URL.href)});`;

function toAppError(error: SerialisedError): AppError {
  const code = (error.code in ERROR_CODES ? error.code : 'internal') as ErrorCode;
  return new AppError(code, error.message);
}

/** The frame's bytes as a whole, transferable ArrayBuffer: the frame's own when it owns it, else one copy. */
function transferable(data: Uint8Array): ArrayBuffer {
  if (data.buffer instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength) return data.buffer;
  return data.slice().buffer;
}

function checkImage(image: ImageView): void {
  const channels = image.format === 'gray' ? 1 : 3;
  if (!(image.width > 0 && image.height > 0) || image.data.byteLength !== image.width * image.height * channels) {
    throw new AppError('bad_request', `frame of ${image.width}x${image.height} ${image.format} needs ${image.width * image.height * channels} bytes, has ${image.data.byteLength}`);
  }
}

function spawn(options: PoolOptions): Promise<{ worker: Worker; manifest: ResolvedManifest; io: ModelIo }> {
  const workerData: WorkerInit = {
    modelPath: options.modelPath,
    manifest: options.manifest,
    classes: options.classes,
    session: options.session ?? DEFAULT_SESSION_SETTINGS,
  };
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData });
  return new Promise((resolve, reject) => {
    const fail = (error: AppError): void => {
      void worker.terminate();
      reject(error);
    };
    worker.once('message', (reply: WorkerReply) => {
      if (reply.type === 'ready') resolve({ worker, manifest: reply.manifest, io: reply.io });
      else fail(reply.type === 'failed' ? toAppError(reply.error) : new AppError('internal', `unexpected ${reply.type} from a starting worker`));
    });
    worker.once('error', (error) => fail(new AppError('unavailable', `inference worker failed to start: ${error.message}`, { cause: error })));
  });
}

/**
 * A fixed set of worker threads, each holding one ORT session. Frames queue FIFO and go to the first idle worker;
 * each request's promise settles with its own result, whatever order the workers finish in.
 */
export class InferencePool implements Detector {
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closing = false;

  private constructor(
    private readonly options: PoolOptions,
    private readonly slots: Slot[],
    readonly manifest: ResolvedManifest,
    readonly io: ModelIo,
  ) {
    slots.forEach((slot, index) => this.attach(slot, index));
  }

  static async start(options: PoolOptions): Promise<InferencePool> {
    const size = Math.max(1, Math.min(64, options.size ?? availableParallelism()));
    await verifyModelDigest(options.modelPath, options.manifest.sha256);
    // The first worker validates the model alone, so a bad model fails once, not N times in parallel.
    const first = await spawn(options);
    const rest = await Promise.allSettled(Array.from({ length: size - 1 }, () => spawn(options)));
    const failed = rest.find((r) => r.status === 'rejected');
    const workers = [first.worker, ...rest.flatMap((r) => (r.status === 'fulfilled' ? [r.value.worker] : []))];
    if (failed !== undefined) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw failed.reason;
    }
    return new InferencePool(options, workers.map((worker) => ({ worker, job: undefined, isDead: false })), first.manifest, first.io);
  }

  get size(): number {
    return this.slots.length;
  }

  get modelName(): string {
    return this.manifest.name;
  }

  /** The `Detector` capability: the frame's buffer is transferred to a worker (use `run` to get it back). */
  async detect(frame: Pick<Frame, 'width' | 'height' | 'format' | 'data'>): Promise<Detection[]> {
    return (await this.run(frame)).detections;
  }

  /** Runs one frame. Its buffer is transferred to a worker (the caller's view is detached) and comes back in the result. */
  run(image: ImageView): Promise<InferenceResult> {
    if (this.closing) return Promise.reject(new AppError('unavailable', 'inference pool is closed'));
    return new Promise((resolve, reject) => {
      checkImage(image);
      this.queue.push({ id: this.nextId++, image, resolve, reject });
      this.pump();
    });
  }

  /** Stops taking frames, lets queued and running frames finish, then ends the workers. */
  async close(): Promise<void> {
    this.closing = true;
    const draining = (): boolean => (this.queue.length > 0 && this.slots.some((s) => !s.isDead)) || this.slots.some((s) => s.job !== undefined);
    while (draining()) await new Promise((r) => setTimeout(r, 5));
    for (const job of this.queue.splice(0)) job.reject(new AppError('unavailable', 'inference pool closed with no worker left'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job !== undefined || slot.isDead) continue;
      const job = this.queue.shift();
      if (job === undefined) return;
      slot.job = job;
      const buffer = transferable(job.image.data);
      const { width, height, format } = job.image;
      slot.worker.postMessage({ type: 'detect', id: job.id, width, height, format, buffer }, [buffer]);
    }
  }

  private attach(slot: Slot, index: number): void {
    slot.worker.on('message', (reply: WorkerReply) => {
      const job = slot.job;
      if (job === undefined || (reply.type !== 'result' && reply.type !== 'error') || reply.id !== job.id) return;
      slot.job = undefined;
      if (reply.type === 'result') job.resolve({ detections: reply.detections, data: new Uint8Array(reply.buffer), timings: reply.timings, worker: index });
      else job.reject(toAppError(reply.error));
      this.pump();
    });
    // 'exit' follows 'error' too; the error only supplies the reason. A clean exit we did not ask for is a death as well.
    let reason: Error | undefined;
    slot.worker.once('error', (error) => (reason = error));
    slot.worker.once('exit', (code) => {
      if (!this.closing) this.replace(slot, index, reason ?? new AppError('internal', `worker exited with code ${code}`));
    });
  }

  /** A worker that died takes only its own frame down; a fresh worker takes its place. */
  private replace(slot: Slot, index: number, error: Error): void {
    slot.isDead = true;
    slot.job?.reject(new AppError('unavailable', `inference worker died: ${error.message}`, { cause: error }));
    slot.job = undefined;
    if (this.closing) return;
    spawn(this.options).then(
      ({ worker }) => {
        slot.worker = worker;
        slot.isDead = false;
        this.attach(slot, index);
        this.pump();
      },
      (respawnError: unknown) => {
        // The model loaded before, so a failing respawn means the box is in trouble. The other workers keep
        // serving; with none left, queued frames fail instead of waiting for ever.
        if (this.slots.every((s) => s.isDead)) {
          for (const job of this.queue.splice(0)) job.reject(new AppError('unavailable', 'no inference worker left', { cause: respawnError }));
        }
      },
    );
  }
}
