import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import ffprobeInstaller from '@ffprobe-installer/ffprobe';
import { z } from 'zod';
import { AppError } from '../../contracts/index.js';

const run = promisify(execFile);

export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  readonly format: 'rgb24';
  readonly data: Uint8Array;
}

const probeSchema = z.object({
  streams: z.array(z.object({ width: z.number().int().positive(), height: z.number().int().positive() })).min(1),
});

const MAX_PIXELS = 64 * 1024 * 1024;

/** Decodes a still image (JPEG, PNG, anything ffmpeg reads) to tightly packed rgb24, sized by ffprobe first. */
export async function decodeImageFile(path: string): Promise<DecodedImage> {
  let size: { width: number; height: number };
  try {
    const { stdout } = await run(ffprobeInstaller.path, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'json', path]);
    const parsed = probeSchema.parse(JSON.parse(stdout));
    size = parsed.streams[0] ?? { width: 0, height: 0 };
  } catch (error) {
    throw new AppError('unprocessable', `${path} is not a readable image`, { cause: error });
  }
  if (size.width * size.height > MAX_PIXELS) throw new AppError('payload_too_large', `${path} is ${size.width}x${size.height}: too large`);
  const expected = size.width * size.height * 3;
  try {
    // -frames:v 1: one picture even from an animated or multi-frame file (flag present in ffmpeg 4.1).
    const { stdout } = await run(ffmpegInstaller.path, ['-v', 'error', '-i', path, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], {
      encoding: 'buffer',
      maxBuffer: expected + 1024,
    });
    if (stdout.length !== expected) throw new AppError('media_invalid', `decoded ${stdout.length} bytes, expected ${expected}`);
    // A fresh ArrayBuffer of exactly the frame, so it can be transferred to a worker thread whole.
    const data = new Uint8Array(expected);
    data.set(stdout);
    return { width: size.width, height: size.height, format: 'rgb24', data };
  } catch (error) {
    throw new AppError('unprocessable', `ffmpeg could not decode ${path}`, { cause: error });
  }
}
