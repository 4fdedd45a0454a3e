import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import type { AccessUnit } from './annexb-splitter.js';
import { H264Feed } from './h264-feed.js';
import { renderSize, sourceArgs } from './scene.js';

const ffmpegPath = (await import('@ffmpeg-installer/ffmpeg')).default.path;

/** Decodes Annex-B H.264 with ffmpeg and returns the picture size and frame count it found. */
function probe(annexB: Buffer): Promise<{ frames: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-f', 'h264', '-i', 'pipe:0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let bytes = 0;
    child.stdout.on('data', (c: Buffer) => (bytes += c.length));
    child.on('error', reject);
    child.on('exit', () => resolve({ frames: bytes / (160 * 120 * 3), bytes }));
    child.stdin.end(annexB);
  });
}

test('a synthetic checkout scene streams live H.264 that decodes to pictures of the profile’s size', async () => {
  const feed = new H264Feed({ ffmpegPath, size: { width: 160, height: 120, fps: 10 }, source: { kind: 'synthetic', scene: 'checkout', seed: 2 }, idleStopMs: 100 });
  try {
    const units: AccessUnit[] = [];
    await new Promise<void>((resolve) => {
      const off = feed.subscribe((au) => {
        if (units.length === 0 && !au.isKeyframe) return; // start at a keyframe, as a player would
        units.push(au);
        if (units.length === 6) {
          off();
          resolve();
        }
      });
    });
    const annexB = Buffer.concat(units.flatMap((au) => au.nals.flatMap((nal) => [Buffer.from([0, 0, 0, 1]), nal])));
    const { frames, bytes } = await probe(annexB);
    assert.ok(bytes > 0 && Number.isInteger(frames) && frames >= 5, `decoded ${bytes} bytes = ${frames} pictures of 160x120`);
  } finally {
    feed.close();
  }
});

test('a main stream wider than 640 renders at half size and lets ffmpeg scale it up', () => {
  assert.deepEqual(renderSize({ width: 1280, height: 720, fps: 10 }), { width: 640, height: 360 });
  assert.deepEqual(renderSize({ width: 640, height: 360, fps: 10 }), { width: 640, height: 360 });
  const { input, filter } = sourceArgs({ kind: 'synthetic', scene: 'aisle', seed: 1 }, { width: 1280, height: 720, fps: 10 });
  assert.deepEqual(input.slice(0, 6), ['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', '640x360']);
  assert.match(filter, /^scale=1280:720,/);
});
