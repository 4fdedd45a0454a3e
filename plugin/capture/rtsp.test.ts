// Capture against the virtual camera's real RTSP server (TCP interleaved and UDP), including the acceptance test of
// the watchdog: RTSP daemon dies -> offline within 10 s; comes back -> streaming within 10 s.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type CameraSim, startCameraSim } from '../camera-sim/index.js';
import type { Frame } from '../../contracts/capabilities.js';
import { type CameraHealth, type CameraState, FfmpegFrameSource } from './index.js';

let camera: CameraSim;
let locked: CameraSim;

before(async () => {
  const common = {
    discoveryPort: null,
    source: { kind: 'scene', scene: 'testsrc2' },
    main: { width: 320, height: 180, fps: 10 },
    sub: { width: 160, height: 90, fps: 10 },
    idleStopMs: 1_000,
  } as const;
  camera = await startCameraSim(common);
  locked = await startCameraSim({ ...common, user: 'operator', password: 'Sup3r-s3cret' });
});
after(async () => {
  await camera?.stop();
  await locked?.stop();
});

function waitForState(source: FfmpegFrameSource, states: CameraState[], timeoutMs: number): Promise<CameraHealth> {
  return new Promise((resolve, reject) => {
    if (states.includes(source.health().state)) return resolve(source.health());
    const timer = setTimeout(() => {
      source.off('health', onHealth);
      reject(new Error(`not ${states.join('/')} within ${timeoutMs} ms: ${JSON.stringify(source.health())}`));
    }, timeoutMs);
    function onHealth(health: CameraHealth): void {
      if (!states.includes(health.state)) return;
      clearTimeout(timer);
      source.off('health', onHealth);
      resolve(health);
    }
    source.on('health', onHealth);
  });
}

function drain(source: FfmpegFrameSource, signal: AbortSignal, into: Frame[]): Promise<void> {
  return (async () => {
    for await (const frame of source.frames(signal)) into.push({ ...frame, data: frame.data.slice(0, 1) });
  })();
}

for (const transport of ['tcp', 'udp'] as const) {
  test(`RTSP over ${transport.toUpperCase()}: frames of the configured size from the sub-stream`, async () => {
    const source = new FfmpegFrameSource({ cameraId: `cam_${transport}`, url: camera.rtspUrl.sub, transport, fps: 5, width: 96, height: 54 });
    let count = 0;
    for await (const frame of source.frames()) {
      assert.equal(frame.data.byteLength, 96 * 54 * 3);
      if (++count === 5) break;
    }
    assert.equal(count, 5);
  });
}

for (const transport of ['tcp', 'udp'] as const) test(`acceptance: RTSP daemon stops -> offline within 10 s; restarts -> streaming within 10 s (${transport.toUpperCase()})`, async () => {
  const source = new FfmpegFrameSource({
    // Default stall timeout and backoff: the acceptance holds for the shipped settings.
    cameraId: `cam_accept_${transport}`, url: camera.rtspUrl.sub, transport, fps: 5, width: 64, height: 36,
  });
  const controller = new AbortController();
  const frames: Frame[] = [];
  const consuming = drain(source, controller.signal, frames);
  try {
    await waitForState(source, ['streaming'], 15_000);
    const startedStreamingAt = Date.now();
    await camera.stopRtsp();
    const stoppedAt = Date.now();
    const offline = await waitForState(source, ['offline'], 10_000);
    assert.ok(Date.now() - stoppedAt <= 10_000);
    assert.ok(offline.lastError, 'offline says why');
    console.log(`${transport}: offline after ${Date.now() - stoppedAt} ms (streamed ${stoppedAt - startedStreamingAt} ms)`);
    await camera.startRtsp();
    const startedAt = Date.now();
    const before = frames.length;
    await waitForState(source, ['streaming'], 10_000);
    assert.ok(Date.now() - startedAt <= 10_000);
    console.log(`${transport}: streaming again ${Date.now() - startedAt} ms after the RTSP daemon returned`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.ok(frames.length > before, 'frames flow again through the same generator');
    assert.ok(source.health().restarts >= 1);
  } finally {
    controller.abort();
    await consuming;
  }
});

test('RTSP auth: wrong credentials -> offline with a 401 lastError that never shows the password; right ones stream', async () => {
  const wrong = locked.rtspUrl.sub.replace('rtsp://', 'rtsp://operator:Wrong-pass@');
  const bad = new FfmpegFrameSource({ cameraId: 'cam_locked', url: wrong, fps: 5, width: 64, height: 36, backoff: { initialMs: 200, maxMs: 1_000 } });
  const good = new FfmpegFrameSource({ cameraId: 'cam_unlocked', url: locked.rtspUrl.sub.replace('rtsp://', 'rtsp://operator:Sup3r-s3cret@'), fps: 5, width: 64, height: 36 });
  const controller = new AbortController();
  const badFrames: Frame[] = [];
  const goodFrames: Frame[] = [];
  const consuming = [drain(bad, controller.signal, badFrames), drain(good, controller.signal, goodFrames)];
  try {
    const health = await waitForState(bad, ['offline'], 10_000);
    assert.match(health.lastError ?? '', /401|Unauthorized/i);
    assert.doesNotMatch(JSON.stringify(health), /Wrong-pass|Sup3r/);
    await waitForState(good, ['streaming'], 15_000);
  } finally {
    controller.abort();
    await Promise.all(consuming);
  }
  assert.equal(badFrames.length, 0);
  assert.ok(goodFrames.length > 0);
});
