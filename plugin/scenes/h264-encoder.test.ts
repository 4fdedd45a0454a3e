import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { encodeScene, SyntheticScene } from './index.js';

const ffmpegPath = (await import('@ffmpeg-installer/ffmpeg')).default.path;

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-scenes-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Decodes a video file back to rgb24 frames of the given size with ffmpeg. */
function decode(path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-i', path, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`ffmpeg decode exited ${code}`))));
  });
}

test('a scene encoded to H.264 through ffmpeg decodes back to the same number of frames, size and picture', async () => {
  const scene = new SyntheticScene({ scene: 'checkout', seed: 9, width: 160, height: 120, fps: 10 });
  const path = join(dir, 'checkout.mp4');
  await encodeScene(scene, { ffmpegPath, frames: 15, outPath: path });
  const decoded = await decode(path);
  const frameBytes = 160 * 120 * 3;
  assert.equal(decoded.length, 15 * frameBytes, 'fifteen 160x120 frames');
  // Lossy, but the same picture: frame 7 decoded is close to frame 7 rendered.
  const original = scene.render(7).rgb;
  const back = decoded.subarray(7 * frameBytes, 8 * frameBytes);
  let diff = 0;
  for (let i = 0; i < frameBytes; i++) diff += Math.abs((back[i] ?? 0) - (original[i] ?? 0));
  assert.ok(diff / frameBytes < 12, `mean absolute difference ${(diff / frameBytes).toFixed(1)} is small`);
});

test('encoding to a path ffmpeg cannot write fails with unavailable', async () => {
  const scene = new SyntheticScene({ scene: 'aisle', seed: 1, width: 64, height: 48 });
  await assert.rejects(encodeScene(scene, { ffmpegPath, frames: 3, outPath: join(dir, 'missing', 'x.mp4') }), { code: 'unavailable' });
});
