import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { AppError } from '../../contracts/index.js';
import type { SyntheticScene } from './scene.js';

/** ffmpeg input arguments for rgb24 frames of `width` x `height` arriving on stdin at `fps`. */
export function rawInputArgs(width: number, height: number, fps: number): string[] {
  return ['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-framerate', String(fps), '-i', 'pipe:0'];
}

/** Writes a frame, waiting while the pipe is full (offline encoding: no frame may be lost). */
export async function writeFrame(sink: Writable, rgb: Uint8Array): Promise<void> {
  if (!sink.write(Buffer.from(rgb))) await once(sink, 'drain');
}

export interface EncodeOptions {
  readonly ffmpegPath: string;
  /** Frames 0 .. frames-1 of the scene. */
  readonly frames: number;
  /** An .mp4, .mkv or .h264 file. */
  readonly outPath: string;
}

/** Encodes the scene's first frames to H.264 with ffmpeg (rgb24 in on stdin, libx264 out), one thread. */
export async function encodeScene(scene: SyntheticScene, options: EncodeOptions): Promise<void> {
  const { width, height, fps } = scene.options;
  const child = spawn(options.ffmpegPath, [
    '-hide_banner', '-loglevel', 'error', '-y', ...rawInputArgs(width, height, fps),
    '-an', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-threads', '1', options.outPath,
  ], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const failed = once(child, 'error').then(([error]: unknown[]) => {
    throw new AppError('unavailable', `ffmpeg failed to start: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  });
  let pipeError: unknown = null;
  child.stdin.on('error', (error) => (pipeError = error)); // ffmpeg quit early; its exit code and message tell why
  const feed = async (): Promise<void> => {
    try {
      for (let i = 0; i < options.frames && pipeError === null; i++) await writeFrame(child.stdin, scene.render(i).rgb);
    } catch (error) {
      pipeError = error;
    }
    child.stdin.end();
  };
  await Promise.race([feed(), failed]);
  const [code] = await Promise.race([exited, failed]);
  if (code !== 0 || pipeError !== null) {
    throw new AppError('unavailable', `ffmpeg exited with ${code}: ${stderr.trim()}`, { cause: pipeError ?? undefined });
  }
}
