import { spawn } from 'node:child_process';
import { AppError } from '../../contracts/index.js';
import { NAL, nalType } from './annexb-splitter.js';
import type { H264Feed } from './h264-feed.js';

const START_CODE = Buffer.from([0, 0, 0, 1]);

/** A JPEG of the profile's current picture: the latest keyframe (SPS/PPS/IDR) decoded once by ffmpeg. */
export async function takeSnapshot(feed: H264Feed, ffmpegPath: string, timeoutMs = 10_000): Promise<Buffer> {
  const { au, sets } = await feed.keyframe(1500, timeoutMs);
  const nals = au.nals.some((n) => nalType(n) === NAL.sps) ? au.nals : [sets.sps, sets.pps, ...au.nals];
  const annexB = Buffer.concat(nals.flatMap((n) => [START_CODE, n]));
  const child = spawn(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-f', 'h264', '-i', 'pipe:0', '-frames:v', '1', '-q:v', '4', '-f', 'image2pipe', '-vcodec', 'mjpeg', 'pipe:1'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  child.stdin.on('error', () => undefined); // ffmpeg may exit before reading all input; the exit code tells
  child.stdin.end(annexB);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(-1));
    child.on('close', (c) => resolve(c));
  });
  clearTimeout(timer);
  const jpeg = Buffer.concat(chunks);
  if (code !== 0 || jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) {
    throw new AppError('unavailable', `snapshot failed (ffmpeg exit ${code}): ${stderr.trim().slice(0, 200)}`);
  }
  return jpeg;
}
