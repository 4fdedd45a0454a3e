import { spawn } from 'node:child_process';
import { CHANNEL_COLOURS, channelMarkerRegion } from '../../plugin/camera-sim/index.js';

const SIZE = { width: 160, height: 120 };

/** Decodes one frame of an RTSP stream (or a clip file) at 160x120 RGB. */
export function grabFrame(ffmpegPath: string, input: string): Promise<Buffer> {
  const rtsp = input.startsWith('rtsp://') ? ['-rtsp_transport', 'tcp'] : [];
  const child = spawn(ffmpegPath, ['-hide_banner', '-loglevel', 'error', ...rtsp, '-i', input, '-frames:v', '1',
    '-vf', `scale=${SIZE.width}:${SIZE.height}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`ffmpeg ${code}: ${stderr}`))));
  });
}

/** The NVR channel whose marker colour is nearest to the centre of the frame's marker block (1-based). */
export function readChannel(rgb: Buffer): number {
  const m = channelMarkerRegion(SIZE);
  const at = ((m.y + Math.floor(m.h / 2)) * SIZE.width + m.x + Math.floor(m.w / 2)) * 3;
  const pixel = [rgb[at] ?? 0, rgb[at + 1] ?? 0, rgb[at + 2] ?? 0];
  const distance = (c: readonly number[]): number => c.reduce((sum, v, i) => sum + (v - (pixel[i] ?? 0)) ** 2, 0);
  let best = 0;
  CHANNEL_COLOURS.forEach((c, i) => {
    if (distance(c) < distance(CHANNEL_COLOURS[best] ?? c)) best = i;
  });
  return best + 1;
}
