import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { setTimeout as delay } from 'node:timers/promises';
import { isAppError } from '../../contracts/errors.js';
import type { Frame } from '../../contracts/capabilities.js';
import { type CameraHealth, type CameraState, FfmpegFrameSource } from './index.js';
import { makeTestClip, serveClip, startPacedServer } from './test-stream.js';

let dir = '';
let clip = '';
const CLIP_SECONDS = 20;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-capture-'));
  clip = await makeTestClip(dir, { seconds: CLIP_SECONDS, fps: 10, size: '320x180' });
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function waitForState(
  source: FfmpegFrameSource,
  states: CameraState[],
  timeoutMs: number,
  also: (health: CameraHealth) => boolean = () => true,
): Promise<CameraHealth> {
  const matches = (health: CameraHealth): boolean => states.includes(health.state) && also(health);
  return new Promise((resolve, reject) => {
    const current = source.health();
    if (matches(current)) return resolve(current);
    const timer = setTimeout(() => {
      source.off('health', onHealth);
      reject(new Error(`camera did not reach ${states.join('/')} within ${timeoutMs} ms (now ${JSON.stringify(source.health())})`));
    }, timeoutMs);
    function onHealth(health: CameraHealth): void {
      if (!matches(health)) return;
      clearTimeout(timer);
      source.off('health', onHealth);
      resolve(health);
    }
    source.on('health', onHealth);
  });
}

/** Consumes frames in the background (fast consumer) until aborted. */
function drain(source: FfmpegFrameSource, signal: AbortSignal, into: Frame[] = []): Promise<Frame[]> {
  return (async () => {
    for await (const frame of source.frames(signal)) into.push({ ...frame, data: frame.data.slice(0, 3) });
    return into;
  })();
}

test('capture decodes a live stream into frames of the configured size, format and rate', async () => {
  const server = await serveClip(clip, CLIP_SECONDS);
  const source = new FfmpegFrameSource({ cameraId: 'cam_a', url: server.url, fps: 5, width: 160, height: 90, format: 'bgr24' });
  const frames: Frame[] = [];
  let firstAt = 0;
  try {
    for await (const frame of source.frames()) {
      firstAt ||= Date.now();
      assert.equal(frame.data.byteLength, 160 * 90 * 3);
      frames.push({ ...frame, data: frame.data.slice(0, 16) });
      if (Date.now() - firstAt >= 4_000) break;
    }
  } finally {
    await server.stop();
  }
  const [first] = frames;
  assert.ok(first);
  assert.deepEqual([first.cameraId, first.width, first.height, first.format], ['cam_a', 160, 90, 'bgr24']);
  const rate = (frames.length - 1) / 4;
  // The source runs at 10 fps: a rate well under that shows the fps filter at work (generous for loaded CI).
  assert.ok(rate >= 3 && rate <= 7.5, `about 5 fps expected, got ${rate.toFixed(2)} (${frames.length} frames)`);
  for (let i = 1; i < frames.length; i += 1) {
    assert.ok(frames[i]!.sequence > frames[i - 1]!.sequence, 'sequence increases');
    assert.ok(frames[i]!.timestamp >= frames[i - 1]!.timestamp, 'timestamps are wall-clock and increase');
  }
  assert.ok(Math.abs(first.timestamp - firstAt) < 1_000, 'timestamp is the wall-clock of decoding');
  assert.equal(isAlive(source.pid), false, 'decoder is killed when the consumer breaks out');
  assert.equal(source.health().state, 'streaming');
});

test('a slow consumer gets the newest frame; older frames are dropped and counted, buffers are reused', async () => {
  const server = await serveClip(clip, CLIP_SECONDS);
  const source = new FfmpegFrameSource({ cameraId: 'cam_slow', url: server.url, fps: 10, width: 64, height: 36, format: 'gray' });
  const received: Frame[] = [];
  try {
    for await (const frame of source.frames()) {
      const age = Date.now() - frame.timestamp;
      received.push({ ...frame, data: frame.data.slice(0, 1) });
      // FIFO delivery would hand out frames seconds old by now; newest-wins keeps them within about a frame.
      if (received.length > 1) assert.ok(age < 1_000, `a slow consumer still gets a fresh frame (age ${age} ms)`);
      if (received.length === 5) break;
      await delay(700);
    }
  } finally {
    await server.stop();
  }
  const stats = source.stats();
  assert.ok(stats.dropped >= 10, `frames dropped while the consumer slept: ${JSON.stringify(stats)}`);
  assert.equal(source.health().dropped, stats.dropped);
  const gaps = received.slice(1).map((frame, i) => frame.sequence - received[i]!.sequence);
  assert.ok(gaps.every((gap) => gap > 1), `sequence skips the dropped frames: ${gaps.join(',')}`);
  assert.ok(stats.allocations <= 3, `frame buffers come from the pool (${stats.allocations} allocated)`);
});

test('abort signal ends the generator and kills the decoder', async () => {
  const server = await serveClip(clip, CLIP_SECONDS);
  const source = new FfmpegFrameSource({ cameraId: 'cam_abort', url: server.url, fps: 5, width: 64, height: 36 });
  const controller = new AbortController();
  let pid: number | undefined;
  let count = 0;
  try {
    for await (const _frame of source.frames(controller.signal)) {
      count += 1;
      pid = source.pid;
      if (count === 2) controller.abort();
    }
  } finally {
    await server.stop();
  }
  assert.equal(count, 2);
  assert.ok(pid !== undefined);
  assert.equal(isAlive(pid), false);
});

test('watchdog: source dies -> offline within 10 s with lastError; source returns -> streaming within 10 s', async () => {
  const server = await serveClip(clip, CLIP_SECONDS);
  const source = new FfmpegFrameSource({
    cameraId: 'cam_flaky',
    url: server.url,
    fps: 5,
    width: 64,
    height: 36,
    stallTimeoutMs: 3_000,
    backoff: { initialMs: 200, maxMs: 2_000 },
  });
  const controller = new AbortController();
  const frames: Frame[] = [];
  const consuming = drain(source, controller.signal, frames);
  try {
    await waitForState(source, ['streaming'], 10_000);
    await server.stop();
    const stoppedAt = Date.now();
    const offline = await waitForState(source, ['offline'], 10_000);
    assert.ok(Date.now() - stoppedAt <= 10_000);
    assert.ok(offline.restarts >= 1, 'the watchdog restarted ffmpeg');
    assert.match(offline.lastError ?? '', /Connection refused|exited|stalled/);
    const before = frames.length;
    await delay(1_500);
    await server.start();
    const back = await waitForState(source, ['streaming'], 10_000);
    assert.equal(back.state, 'streaming');
    await delay(500);
    assert.ok(frames.length > before, 'frames flow again through the same generator');
  } finally {
    controller.abort();
    await consuming;
    await server.stop();
  }
});

test('a source that hangs (connection open, no data) is restarted by the watchdog and comes back', async () => {
  const server = await serveClip(clip, CLIP_SECONDS);
  const source = new FfmpegFrameSource({ cameraId: 'cam_hang', url: server.url, fps: 5, width: 64, height: 36, stallTimeoutMs: 2_000, socketTimeoutMs: 30_000 });
  const controller = new AbortController();
  const consuming = drain(source, controller.signal);
  try {
    await waitForState(source, ['streaming'], 10_000);
    server.freeze();
    const offline = await waitForState(source, ['offline'], 10_000, (h) => h.restarts >= 1);
    assert.match(offline.lastError ?? '', /stalled/, 'the watchdog, not ffmpeg, noticed the hang');
    server.thaw();
    await waitForState(source, ['streaming'], 10_000);
  } finally {
    controller.abort();
    await consuming;
    await server.stop();
  }
});

test('garbage bytes as a stream: camera offline with a clear lastError, other cameras unaffected', async () => {
  const garbage = await startPacedServer('random', 50_000);
  const good = await serveClip(clip, CLIP_SECONDS);
  const bad = new FfmpegFrameSource({ cameraId: 'cam_bad', url: garbage.url, fps: 5, width: 64, height: 36, stallTimeoutMs: 3_000, firstFrameTimeoutMs: 4_000, backoff: { initialMs: 200, maxMs: 1_000 } });
  const fine = new FfmpegFrameSource({ cameraId: 'cam_good', url: good.url, fps: 5, width: 64, height: 36 });
  const controller = new AbortController();
  const badFrames = drain(bad, controller.signal);
  const goodFrames = drain(fine, controller.signal);
  try {
    // The first verdict comes from the state machine (no frame yet), the next from the watchdog killing ffmpeg.
    const health = await waitForState(bad, ['offline', 'degraded'], 10_000, (h) => h.restarts >= 1);
    assert.ok(health.lastError, 'lastError explains the failure');
    assert.match(health.lastError, /invalid data|could not find|no output|stalled|exited/i);
    await waitForState(fine, ['streaming'], 10_000);
  } finally {
    controller.abort();
    await garbage.stop();
    await good.stop();
  }
  assert.equal((await badFrames).length, 0, 'garbage decodes to no frames');
  assert.ok((await goodFrames).length > 0, 'the good camera kept streaming');
});

test('a missing ffmpeg binary makes the camera offline with a clear lastError, not a crash', async () => {
  const source = new FfmpegFrameSource({ cameraId: 'cam_nobin', url: 'tcp://127.0.0.1:9', ffmpegPath: '/nonexistent/ffmpeg', backoff: { initialMs: 100, maxMs: 200 } });
  const controller = new AbortController();
  const consuming = drain(source, controller.signal);
  try {
    const health = await waitForState(source, ['offline'], 5_000, (h) => h.restarts >= 1);
    assert.match(health.lastError ?? '', /cannot start ffmpeg: .*ENOENT/);
  } finally {
    controller.abort();
  }
  assert.deepEqual(await consuming, []);
});

test('an offline camera logs its outage once, not once per retry', async () => {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
  const source = new FfmpegFrameSource({ cameraId: 'cam_gone', url: 'tcp://127.0.0.1:9', ffmpegPath: '/nonexistent/ffmpeg', backoff: { initialMs: 50, maxMs: 100 } }, logger);
  const controller = new AbortController();
  const consuming = drain(source, controller.signal);
  try {
    await waitForState(source, ['offline'], 10_000, (h) => h.restarts >= 8);
  } finally {
    controller.abort();
  }
  await consuming;
  const loud = lines.filter((l) => l.level >= 30 && /ffmpeg failed|camera health/.test(l.msg));
  const retries = lines.filter((l) => /ffmpeg failed/.test(l.msg));
  assert.ok(retries.length >= 8, `${retries.length} retries seen`);
  // The state change to offline and the first failure; the retries of the same outage are debug lines.
  assert.ok(loud.length <= 2, `${loud.length} info/warn lines for one outage: ${loud.map((l) => l.msg).join(' | ')}`);
});

test('invalid options are rejected with validation_failed and no credentials in the message', () => {
  assert.throws(
    () => new FfmpegFrameSource({ cameraId: 'cam_x', url: 'rtsp://admin:hunter2@10.0.0.9/stream', fps: -1 }),
    (error: unknown) => isAppError(error) && error.code === 'validation_failed' && !error.message.includes('hunter2'),
  );
});
