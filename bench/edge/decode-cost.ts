import { spawn } from 'node:child_process';
import { FfmpegFrameSource, ffmpegPath } from '../../plugin/capture/index.js';
import { cpuPercent } from './proc-stats.js';

export interface DecodeCost {
  /** Capture's decoder (RTSP/TCP -> decode -> fps -> scale -> rgb24 on a pipe), % of one core. */
  readonly capturePercent: number;
  /** Plain `ffmpeg -i URL -f null -` on the same stream, % of one core. */
  readonly ffmpegNullPercent: number;
  readonly frames: number;
}

/** Runs capture and the bare ffmpeg side by side on one stream and samples both processes' CPU time. */
export async function measureDecodeCost(url: string, size: { width: number; height: number; fps: number }, seconds: number): Promise<DecodeCost> {
  const controller = new AbortController();
  const source = new FfmpegFrameSource({ cameraId: 'cam_bench', url, transport: 'tcp', ...size, format: 'rgb24' });
  let frames = 0;
  const consuming = (async () => {
    for await (const frame of source.frames(controller.signal)) frames += frame.data.length > 0 ? 1 : 0;
  })();
  const bare = spawn(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', url, '-f', 'null', '-'], { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 3_000)); // connect, first keyframe
    const startFrames = frames;
    const [capturePercent, ffmpegNullPercent] = await Promise.all([
      cpuPercent(() => (source.pid === undefined ? [] : [source.pid]), seconds * 1000),
      cpuPercent(() => (bare.pid === undefined ? [] : [bare.pid]), seconds * 1000),
    ]);
    return { capturePercent, ffmpegNullPercent, frames: frames - startFrames };
  } finally {
    controller.abort();
    bare.kill('SIGKILL');
    await consuming;
  }
}
