// Worker-thread entry: a thin shell around InferenceEngine. ORT's session.run keeps its calling thread busy for
// the whole inference, so sessions live here and the main thread's event loop stays free.
import { parentPort, workerData } from 'node:worker_threads';
import { AppError, isAppError } from '../../contracts/index.js';
import { InferenceEngine } from './inference-engine.js';
import type { DetectRequest, SerialisedError, WorkerInit, WorkerReply } from './worker-protocol.js';

function serialise(error: unknown): SerialisedError {
  if (isAppError(error)) return { code: error.code, message: error.message };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new AppError('internal', 'inference-worker must run in a worker thread');
  const post = (reply: WorkerReply, transfer: ArrayBuffer[] = []): void => port.postMessage(reply, transfer);
  const init = workerData as WorkerInit;
  let engine: InferenceEngine;
  try {
    engine = await InferenceEngine.open(init.modelPath, init.manifest, init.classes, init.session);
  } catch (error) {
    post({ type: 'failed', error: serialise(error) });
    return;
  }
  post({ type: 'ready', manifest: engine.manifest, io: engine.io });
  port.on('message', (request: DetectRequest) => {
    const image = { width: request.width, height: request.height, format: request.format, data: new Uint8Array(request.buffer) };
    engine.infer(image).then(
      ({ detections, timings }) => post({ type: 'result', id: request.id, detections, timings, buffer: request.buffer }, [request.buffer]),
      (error: unknown) => post({ type: 'error', id: request.id, error: serialise(error), buffer: request.buffer }, [request.buffer]),
    );
  });
}

void main();
