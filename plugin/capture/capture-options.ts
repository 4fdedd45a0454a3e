import { z } from 'zod';

/** One camera's capture settings, validated before any process starts. */
export const captureOptionsSchema = z.object({
  cameraId: z.string().min(1).describe('Camera id (cam_…); bound to every log line and frame'),
  url: z.string().min(1).describe('Input URL: rtsp://[user:pass@]host/path, or any ffmpeg input (tcp://, udp://, file)'),
  transport: z.enum(['tcp', 'udp']).default('tcp').describe('RTSP lower transport; TCP survives lossy links and NAT'),
  fps: z.number().positive().max(30).default(5).describe('Analysis frame rate decoded from the stream'),
  width: z.number().int().min(16).max(3840).default(640).describe('Width of the frames handed to analysis'),
  height: z.number().int().min(16).max(2160).default(360).describe('Height of the frames handed to analysis'),
  format: z.enum(['rgb24', 'bgr24', 'gray']).default('rgb24').describe('Pixel layout of Frame.data'),
  stallTimeoutMs: z.number().int().min(500).max(120_000).default(5_000).describe('No frame for this long: restart and report offline'),
  firstFrameTimeoutMs: z.number().int().min(1_000).max(120_000).default(10_000).describe('Time a new process may take to connect, probe and decode its first frame'),
  socketTimeoutMs: z.number().int().min(500).max(120_000).default(5_000).describe('Socket read timeout given to ffmpeg'),
  backoff: z
    .object({
      initialMs: z.number().int().min(10).max(60_000).default(500),
      // 3 s keeps a returning camera's recovery (delay + connect + first keyframe) well under 10 s; a retry every
      // few seconds per offline camera costs one short-lived process.
      maxMs: z.number().int().min(10).max(300_000).default(3_000),
      factor: z.number().min(1).max(10).default(2),
      jitter: z.number().min(0).max(1).default(0.2),
    })
    .prefault({})
    .describe('Restart delays: exponential, jittered, bounded'),
  healthyAfterMs: z.number().int().min(0).max(600_000).default(10_000).describe('Streaming this long resets the backoff'),
  poolSize: z.number().int().min(2).max(16).default(3).describe('Frame buffers kept for reuse (decode, pending, consumer)'),
  ffmpegPath: z.string().min(1).optional().describe('ffmpeg binary; the bundled 4.1 static build by default'),
});

export type CaptureOptionsInput = z.input<typeof captureOptionsSchema>;
export type CaptureOptions = z.output<typeof captureOptionsSchema>;

export function bytesPerPixel(format: CaptureOptions['format']): number {
  return format === 'gray' ? 1 : 3;
}
