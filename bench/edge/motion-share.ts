import { FfmpegFrameSource } from '../../plugin/capture/index.js';
import { RunningAverageMotionGate } from '../../plugin/motion/index.js';

/** The part of the frame the bench cameras watch: everything below the simulator's clock overlay (top left). */
export const WATCHED_AREA: Array<[number, number]> = [[0, 0.15], [1, 0.15], [1, 1], [0, 1]];

export interface MotionShare {
  readonly frames: number;
  readonly toDetector: number;
  readonly share: number;
}

/** Frames of one stream the motion gate sends to the detector, after the background is learnt. */
export async function measureMotionShare(url: string, size: { width: number; height: number; fps: number }, seconds: number): Promise<MotionShare> {
  const controller = new AbortController();
  const source = new FfmpegFrameSource({ cameraId: 'cam_bench', url, transport: 'tcp', ...size, format: 'rgb24' });
  const gate = new RunningAverageMotionGate({ zones: [WATCHED_AREA] });
  let frames = 0;
  let toDetector = 0;
  let measuringFrom = Number.POSITIVE_INFINITY;
  const timer = setTimeout(() => controller.abort(), (seconds + 15) * 1000);
  try {
    for await (const frame of source.frames(controller.signal)) {
      const { hasMotion } = gate.update(frame);
      // The first 2 s after the first frame learn the background (and count as motion by design): not measured.
      if (measuringFrom === Number.POSITIVE_INFINITY) measuringFrom = frame.timestamp + 2_000;
      if (frame.timestamp < measuringFrom) continue;
      frames += 1;
      if (hasMotion) toDetector += 1;
      if (frame.timestamp >= measuringFrom + seconds * 1000) break;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return { frames, toDetector, share: frames === 0 ? Number.NaN : toDetector / frames };
}
