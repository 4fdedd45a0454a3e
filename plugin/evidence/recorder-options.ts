import { z } from 'zod';

/** One camera's recording ring buffer, validated before any process starts. */
export const recorderOptionsSchema = z.object({
  cameraId: z.string().min(1).describe('Camera id (cam_…); bound to every log line'),
  url: z.string().min(1).describe('Main-stream URL: rtsp://[user:pass@]host/path, or any ffmpeg input'),
  transport: z.enum(['tcp', 'udp']).default('tcp').describe('RTSP lower transport'),
  dir: z.string().min(1).describe('Directory owned by this recorder: segments and segment lists live here'),
  segmentSeconds: z.number().min(0.5).max(10).default(2).describe('Target segment length; a segment ends at the first keyframe after it'),
  windowSeconds: z.number().min(2).max(3_600).default(60).describe('How much recent video is kept on disk'),
  maxBytes: z.number().int().min(1_000_000).default(256 * 1024 * 1024).describe('Hard cap on the disk used by segments'),
  stallTimeoutMs: z.number().int().min(1_000).max(120_000).default(10_000).describe('No finished segment for this long: restart'),
  firstSegmentTimeoutMs: z.number().int().min(1_000).max(120_000).default(20_000).describe('Time a new process may take to finish its first segment'),
  socketTimeoutMs: z.number().int().min(500).max(120_000).default(5_000).describe('Socket read timeout given to ffmpeg'),
  backoff: z
    .object({
      initialMs: z.number().int().min(10).max(60_000).default(500),
      maxMs: z.number().int().min(10).max(300_000).default(5_000),
      factor: z.number().min(1).max(10).default(2),
      jitter: z.number().min(0).max(1).default(0.2),
    })
    .prefault({}),
  healthyAfterMs: z.number().int().min(0).max(600_000).default(10_000).describe('Recording this long resets the backoff'),
  ffmpegPath: z.string().min(1).optional(),
});

export type RecorderOptionsInput = z.input<typeof recorderOptionsSchema>;
export type RecorderOptions = z.output<typeof recorderOptionsSchema>;
