import { spawn } from 'node:child_process';
import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ffmpegPath } from '../capture/ffmpeg-binaries.js';
import { ClipError } from './clip-error.js';
import type { SnapshotFile } from './clip-cutter.js';
import { hashFile } from './file-hash.js';

/** The decoded frame a rule fired on, as the analysis loop holds it. */
export interface SnapshotFrame {
  readonly width: number;
  readonly height: number;
  readonly format: 'rgb24' | 'bgr24' | 'gray';
  readonly data: Uint8Array;
  /** Capture time, epoch ms. */
  readonly timestamp: number;
}

const ENCODE_TIMEOUT_MS = 15_000;

/**
 * Encodes the frame a rule fired on as a JPEG (ffmpeg reads the raw pixels on stdin) and hashes it: the picture that
 * leaves with the event, seconds before the clip's post-roll has been recorded.
 */
export async function encodeFrameSnapshot(frame: SnapshotFrame, out: string, binary: string = ffmpegPath): Promise<SnapshotFile> {
  const expected = frame.width * frame.height * (frame.format === 'gray' ? 1 : 3);
  if (frame.data.byteLength !== expected) throw new ClipError('cut_failed', `snapshot frame has ${frame.data.byteLength} bytes, ${frame.width}x${frame.height} ${frame.format} needs ${expected}`);
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', frame.format, '-s', `${frame.width}x${frame.height}`, '-i', 'pipe:0'];
  args.push('-frames:v', '1', '-q:v', '3', '-f', 'image2', out);
  try {
    await mkdir(dirname(out), { recursive: true });
    await runWithInput(binary, args, frame.data);
    const size = (await stat(out)).size;
    if (size === 0) throw new ClipError('cut_failed', 'ffmpeg wrote an empty snapshot');
    return { path: out, ...(await hashFile(out)), contentType: 'image/jpeg', at: frame.timestamp };
  } catch (error) {
    await rm(out, { force: true });
    throw error instanceof ClipError ? error : new ClipError('cut_failed', `snapshot failed: ${(error as Error).message}`);
  }
}

function runWithInput(binary: string, args: readonly string[], input: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [...args], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), ENCODE_TIMEOUT_MS);
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-400)));
    child.stdin.on('error', () => undefined); // a dying ffmpeg closes its stdin; the exit code tells why
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new ClipError('cut_failed', `ffmpeg ${signal === null ? `exited with code ${code}` : `killed by ${signal}`}: ${stderr.trim().split('\n').at(-1) ?? 'no message'}`));
    });
    child.stdin.end(input);
  });
}
