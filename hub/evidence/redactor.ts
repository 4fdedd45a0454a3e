import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import ffprobeInstaller from '@ffprobe-installer/ffprobe';
import { AppError } from '../../contracts/index.js';
import type { NormalisedBox, TimedBox } from './redaction-plan.js';

const run = promisify(execFile);

interface PixelBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

const even = (n: number): number => Math.max(0, Math.floor(n / 2) * 2);

/** Normalised [x1, y1, x2, y2] -> an even-sized pixel box inside the frame, at least 8 px a side. */
export function pixelBox(box: NormalisedBox, width: number, height: number): PixelBox {
  const x = Math.min(even(box[0] * width), width - 8);
  const y = Math.min(even(box[1] * height), height - 8);
  const right = Math.min(width, Math.ceil(box[2] * width));
  const bottom = Math.min(height, Math.ceil(box[3] * height));
  return { x, y, w: Math.max(8, Math.min(even(right - x + 1), width - x)), h: Math.max(8, Math.min(even(bottom - y + 1), height - y)) };
}

const seconds = (n: number): string => n.toFixed(3);

/**
 * One filter graph (ffmpeg 4.1): the frame is blurred once as a whole (boxblur, radius from the frame size),
 * and for every timed box the blurred copy is cropped to the box and laid over the frame only while the box
 * applies (`overlay … enable='between(t,from,to)'`), so the blur follows each person frame by frame.
 */
export function redactionFilter(boxes: Array<{ from: number; to: number; box: PixelBox }>, width: number, height: number): string {
  const radius = Math.max(2, Math.floor(Math.min(width, height) / 16));
  const chroma = Math.max(1, Math.floor(radius / 2));
  const copies = boxes.map((_, i) => `[b${i}]`).join('');
  const parts = [
    `[0:v]setpts=PTS-STARTPTS,split=2[o0][toblur]`,
    `[toblur]boxblur=luma_radius=${radius}:luma_power=3:chroma_radius=${chroma}:chroma_power=3,split=${boxes.length}${copies}`,
  ];
  boxes.forEach(({ from, to, box: b }, i) => {
    parts.push(`[b${i}]crop=${b.w}:${b.h}:${b.x}:${b.y}[c${i}]`);
    parts.push(`[o${i}][c${i}]overlay=${b.x}:${b.y}:enable='between(t,${seconds(from)},${seconds(to)})'[o${i + 1}]`);
  });
  return parts.join(';\n');
}

async function frameSize(path: string): Promise<{ width: number; height: number }> {
  const { stdout } = await run(ffprobeInstaller.path, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', path]);
  const [width, height] = stdout.trim().split(',').map(Number);
  if (!width || !height) throw new AppError('media_invalid', 'cannot read the frame size of the item to redact');
  return { width, height };
}

/**
 * Writes a redacted copy of a clip (re-encoded H.264, faststart) or a snapshot (JPEG). `plan` is what
 * redaction-tracks.ts builds from the camera's tracks (itemRedaction), for link renditions and export
 * bundles alike. Resolves to the number of timed boxes blurred.
 */
export async function redactMedia(kind: 'clip' | 'snapshot', input: string, output: string, plan: TimedBox[]): Promise<number> {
  const size = await frameSize(input);
  const boxes = plan.map((t) => ({ from: t.from, to: t.to, box: pixelBox(t.box, size.width, size.height) }));
  const work = await mkdtemp(join(tmpdir(), 'vigil-redact-'));
  try {
    const script = join(work, 'filter.txt');
    await writeFile(script, boxes.length > 0 ? redactionFilter(boxes, size.width, size.height) : '[0:v]null[o0]');
    const encode = kind === 'clip'
      ? ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-an', '-f', 'mp4']
      : ['-frames:v', '1', '-q:v', '3', '-f', 'image2', '-c:v', 'mjpeg'];
    await run(ffmpegInstaller.path, [
      '-hide_banner', '-nostdin', '-v', 'error', '-y', '-i', input, '-filter_complex_script', script, '-map', `[o${boxes.length}]`, ...encode, output,
    ], { timeout: 600_000 });
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('media_invalid', 'the item could not be decoded for redaction', { cause: error });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return boxes.length;
}
