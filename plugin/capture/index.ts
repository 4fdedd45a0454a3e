/**
 * Capture: one ffmpeg decoder per camera turning its (sub-)stream into raw frames at the analysis rate.
 *
 *   const source = new FfmpegFrameSource({ cameraId, url, transport: 'tcp', fps: 5, width: 416, height: 416 }, logger);
 *   source.on('health', (h) => report(h));           // starting | streaming | degraded | offline
 *   for await (const frame of source.frames(signal)) // newest frame wins; frame.data is valid until the next one
 *
 * The process helpers (spawnFfmpeg, supervise, Backoff, inputArgs, redactUrl) are shared with plugin/evidence.
 */
export { FfmpegFrameSource, type FrameSourceEvents } from './ffmpeg-frame-source.js';
export { captureOptionsSchema, type CaptureOptions, type CaptureOptionsInput } from './capture-options.js';
export type { CameraHealth, CameraState } from './camera-health.js';
export { ffmpegPath } from './ffmpeg-binaries.js';
export { redactUrl } from './redact.js';
export { inputArgs } from './input-args.js';
export { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
export { spawnFfmpeg, type FfmpegRun, type FfmpegExit } from './ffmpeg-process.js';
export { supervise, sleep, type SupervisedProcess, type SupervisorOptions, type RunFailure } from './supervisor.js';
