import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import type { AccessUnit } from './annexb-splitter.js';
import { H264Feed } from './h264-feed.js';

const ffmpegPath = (await import('@ffmpeg-installer/ffmpeg')).default.path;

/** ffmpeg processes started by this test process (Linux /proc). */
function ourFfmpegChildren(): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return parent === process.pid && stat.includes('(ffmpeg)') ? [Number(d)] : [];
    } catch {
      return []; // the process ended while we looked
    }
  });
}

function nextUnit(feed: H264Feed, predicate: (au: AccessUnit) => boolean, timeoutMs = 15_000): Promise<AccessUnit> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('no access unit in time'));
    }, timeoutMs);
    const off = feed.subscribe((au) => {
      if (!predicate(au)) return;
      clearTimeout(timer);
      off();
      resolve(au);
    });
  });
}

test('the encoder restarts when ffmpeg dies under a reader, and stops once idle', { skip: process.platform !== 'linux' ? 'reads /proc' : false }, async () => {
  const feed = new H264Feed({ ffmpegPath, size: { width: 160, height: 90, fps: 5 }, source: { kind: 'scene', scene: 'testsrc2' }, idleStopMs: 200 });
  const received: AccessUnit[] = [];
  const unsubscribe = feed.subscribe((au) => received.push(au));
  try {
    const first = await nextUnit(feed, (au) => au.isKeyframe);
    assert.ok(feed.cachedParameterSets, 'SPS/PPS cached from the first keyframe');
    const encoders = ourFfmpegChildren();
    assert.equal(encoders.length, 1);
    process.kill(encoders[0] ?? 0, 'SIGKILL');
    const after = await nextUnit(feed, (au) => au.isKeyframe && au.wallMs > first.wallMs + 1000);
    assert.ok(after.wallMs > first.wallMs);
    assert.notDeepEqual(ourFfmpegChildren(), encoders, 'a new encoder process runs');
    // Timestamps of consecutive pictures advance by exactly one frame interval (200 ms at 5 fps).
    await nextUnit(feed, (au) => au.wallMs >= after.wallMs + 600);
    const run = received.filter((au) => au.wallMs >= after.wallMs).slice(0, 4);
    const steps = run.slice(1).map((au, i) => Math.round(au.wallMs - (run[i]?.wallMs ?? 0)));
    assert.deepEqual(steps, [200, 200, 200]);
  } finally {
    unsubscribe();
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  assert.equal(feed.isRunning, false);
  assert.deepEqual(ourFfmpegChildren(), []);
  feed.close();
});
