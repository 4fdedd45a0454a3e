import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'node:test';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { evidenceDetectionSchema } from './item-spec.js';
import { redactionPlan } from './redaction-plan.js';
import { pixelBox, redactMedia } from './redactor.js';

const run = promisify(execFile);
const W = 320;
const H = 180;

async function rawGray(path: string): Promise<Buffer> {
  const { stdout } = await run(ffmpegInstaller.path, ['-v', 'error', '-i', path, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'], { encoding: 'buffer', maxBuffer: 1 << 24 });
  return stdout as unknown as Buffer;
}

/** Mean absolute difference of two gray frames inside a pixel box. */
function difference(a: Buffer, b: Buffer, box: { x: number; y: number; w: number; h: number }): number {
  let sum = 0;
  for (let y = box.y; y < box.y + box.h; y += 1) for (let x = box.x; x < box.x + box.w; x += 1) sum += Math.abs((a[y * W + x] ?? 0) - (b[y * W + x] ?? 0));
  return sum / (box.w * box.h);
}

test('redaction blurs people not involved and leaves the involved person and the rest of the frame as they were', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-redact-'));
  try {
    const input = join(dir, 'in.jpg');
    const output = join(dir, 'out.jpg');
    // testsrc2 has sharp edges everywhere, so a blur shows up as a large difference.
    await run(ffmpegInstaller.path, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${W}x${H}`, '-frames:v', '1', '-q:v', '2', input]);
    const detections = [
      evidenceDetectionSchema.parse({ label: 'person', score: 0.9, box: [0.05, 0.1, 0.35, 0.9], involved: true }),
      evidenceDetectionSchema.parse({ label: 'person', score: 0.8, box: [0.6, 0.2, 0.9, 0.8] }),
      evidenceDetectionSchema.parse({ label: 'bag', score: 0.8, box: [0.4, 0.1, 0.55, 0.3] }),
    ];
    // The plan of an item with no tracks around it: its own detections, the involved person and the bag left out.
    const plan = redactionPlan({ startMs: 0, endMs: 0, detections: [], itemDetections: detections, involvedTracks: new Set() });
    assert.equal(await redactMedia('snapshot', input, output, plan), 1);
    const [before, after] = await Promise.all([rawGray(input), rawGray(output)]);
    const bystander = pixelBox([0.6, 0.2, 0.9, 0.8], W, H);
    const involved = pixelBox([0.05, 0.1, 0.35, 0.9], W, H);
    const inner = { x: bystander.x + 4, y: bystander.y + 4, w: bystander.w - 8, h: bystander.h - 8 };
    assert.ok(difference(before, after, inner) > 8, `bystander not blurred: ${difference(before, after, inner)}`);
    assert.ok(difference(before, after, involved) < 4, `involved person altered: ${difference(before, after, involved)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('boxes become even pixel boxes inside the frame, never smaller than 8 px', () => {
  assert.deepEqual(pixelBox([0.5, 0.5, 0.75, 1], 320, 180), { x: 160, y: 90, w: 80, h: 90 });
  assert.deepEqual(pixelBox([1, 1, 1, 1], 320, 180), { x: 312, y: 172, w: 8, h: 8 });
});
