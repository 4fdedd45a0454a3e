import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ffmpegPath } from '../../plugin/capture/index.js';

const execFileAsync = promisify(execFile);

/** Polls `probe` every 200 ms until it gives a value, or fails naming `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** An empty checkout lane: a still grey picture (nothing moves, nobody there). */
export async function makeEmptyLaneVideo(dir: string, size: { width: number; height: number; fps: number }): Promise<string> {
  const out = join(dir, 'empty-lane.mp4');
  await execFileAsync(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `color=c=0x7a7f86:s=${size.width}x${size.height}:r=${size.fps}`, '-t', '8', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', String(size.fps), out]);
  return out;
}

/** An NCR-style electronic journal line for a no-sale, stamped `at` in UTC on a 12-hour clock. */
export function noSaleLine(register: string, at: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const hours = at.getUTCHours() % 12 === 0 ? 12 : at.getUTCHours() % 12;
  const stamp = `${pad(at.getUTCMonth() + 1)}/${pad(at.getUTCDate())}/${at.getUTCFullYear()} ${pad(hours)}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())} ${at.getUTCHours() < 12 ? 'AM' : 'PM'}`;
  return `*** ${stamp} REG ${register} CSH 117 NO SALE ***\r\n`;
}
