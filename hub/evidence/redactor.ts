import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import ffprobeInstaller from '@ffprobe-installer/ffprobe';
import { AppError } from '../../contracts/index.js';
import type { EvidenceDetection } from './item-spec.js';

const run = promisify(execFile);

interface PixelBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

const even = (n: number): number => Math.max(0, Math.floor(n / 2) * 2);

/** Normalised [x1, y1, x2, y2] -> an even-sized pixel box inside the frame, at least 8 px a side. */
export function pixelBox(box: readonly [number, number, number, number], width: number, height: number): PixelBox {
  const x = Math.min(even(box[0] * width), width - 8);
  const y = Math.min(even(box[1] * height), height - 8);
  return { x, y, w: Math.max(8, Math.min(even((box[2] - box[0]) * width), width - x)), h: Math.max(8, Math.min(even((box[3] - box[1]) * height), height - y)) };
}

/** People the rule did not fire on: the ones a redacted export blurs. */
export const bystanders = (detections: EvidenceDetection[]): EvidenceDetection[] => detections.filter((d) => d.label === 'person' && !d.involved);

/**
 * One filter graph for ffmpeg 4.1: each box is cropped from a copy of the frame, blurred (boxblur, radius
 * bounded by the box so small boxes stay valid), and laid back over the frame at the same place.
 */
export function redactionFilter(boxes: PixelBox[]): string {
  const copies = boxes.map((_, i) => `[c${i}]`).join('');
  const parts = [`[0:v]split=${boxes.length + 1}[o0]${copies}`];
  boxes.forEach((b, i) => {
    const radius = Math.max(1, Math.min(20, Math.floor(Math.min(b.w, b.h) / 4) - 1));
    parts.push(`[c${i}]crop=${b.w}:${b.h}:${b.x}:${b.y},boxblur=luma_radius=${radius}:luma_power=3[b${i}]`);
    parts.push(`[o${i}][b${i}]overlay=${b.x}:${b.y}[o${i + 1}]`);
  });
  return parts.join(';');
}

async function frameSize(path: string): Promise<{ width: number; height: number }> {
  const { stdout } = await run(ffprobeInstaller.path, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', path]);
  const [width, height] = stdout.trim().split(',').map(Number);
  if (!width || !height) throw new AppError('media_invalid', `cannot read the frame size of ${path}`);
  return { width, height };
}

/** Writes a redacted copy of a clip (re-encoded H.264, faststart) or a snapshot (JPEG). */
export async function redactMedia(kind: 'clip' | 'snapshot', input: string, output: string, detections: EvidenceDetection[]): Promise<number> {
  const size = await frameSize(input);
  const boxes = bystanders(detections).map((d) => pixelBox(d.box, size.width, size.height));
  const filter = boxes.length > 0 ? ['-filter_complex', redactionFilter(boxes), '-map', `[o${boxes.length}]`] : ['-map', '0:v:0'];
  const encode = kind === 'clip'
    ? ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-an', '-f', 'mp4']
    : ['-frames:v', '1', '-q:v', '3', '-f', 'image2', '-c:v', 'mjpeg'];
  await run(ffmpegInstaller.path, ['-hide_banner', '-nostdin', '-v', 'error', '-y', '-i', input, ...filter, ...encode, output], { timeout: 120_000 });
  return boxes.length;
}
