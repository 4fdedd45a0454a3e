import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ffmpegPath } from '../../capture/index.js';

const run = promisify(execFile);

/** The shared test model folder (never copied into the repo), or null when this checkout has none. */
export function sharedModelDir(): string | null {
  const dir = resolve(fileURLToPath(new URL('../../../', import.meta.url)), '..', 'shared', 'models', 'nanodet-m');
  return existsSync(join(dir, 'nanodet_m.onnx')) && existsSync(join(dir, 'person.jpg')) ? dir : null;
}

export interface PersonVideoOptions {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly seconds: number;
  /** Slow horizontal pan (the motion gate opens on every frame) or a still picture (a quiet scene). */
  readonly isPanning: boolean;
}

/**
 * A short H.264 loop made from person.jpg (a person, a dog and a horse): scaled a little larger than the output
 * and cropped by a window that slowly pans left and right, so everything moves a few pixels per frame while the
 * person stays in view. The camera simulator loops it.
 */
export async function makePersonVideo(dir: string, name: string, options: PersonVideoOptions): Promise<string> {
  const { width, height, fps, seconds, isPanning } = options;
  const model = sharedModelDir();
  if (model === null) throw new Error('shared/models/nanodet-m is absent');
  const even = (n: number): number => Math.round(n / 2) * 2;
  const scaledW = even(width * 1.0625);
  const scaledH = even((scaledW * 424) / 640);
  const slack = scaledW - width;
  const x = isPanning ? `${slack / 2}+${slack / 2}*sin(2*PI*t/4)` : `${slack / 2}`;
  const y = Math.max(0, Math.floor((scaledH - height) / 2));
  const out = join(dir, name);
  await run(ffmpegPath, [
    '-hide_banner', '-loglevel', 'error', '-y', '-loop', '1', '-framerate', String(fps), '-i', join(model, 'person.jpg'),
    '-vf', `scale=${scaledW}:${scaledH},crop=${width}:${height}:x='${x}':y=${y},format=yuv420p`,
    '-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-g', String(fps), out,
  ]);
  return out;
}
