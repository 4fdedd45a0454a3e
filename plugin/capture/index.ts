export { FfmpegFrameSource, type FrameSourceEvents } from './ffmpeg-frame-source.js';
export { captureOptionsSchema, type CaptureOptions, type CaptureOptionsInput } from './capture-options.js';
export type { CameraHealth, CameraState } from './camera-health.js';
export { ffmpegPath } from './ffmpeg-binaries.js';
export { redactUrl } from './redact.js';
export { inputArgs } from './input-args.js';
export { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
export { spawnFfmpeg, type FfmpegRun, type FfmpegExit } from './ffmpeg-process.js';
export { supervise, sleep, type SupervisedProcess, type SupervisorOptions, type RunFailure } from './supervisor.js';
