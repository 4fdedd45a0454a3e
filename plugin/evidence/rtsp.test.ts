// The ring buffer against the virtual camera's RTSP main stream: a clip by stream copy keeps the camera's codec.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { type CameraSim, startCameraSim } from '../camera-sim/index.js';
import { SegmentRecorder, probeMedia } from './index.js';

let camera: CameraSim;
let dir = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-evidence-rtsp-'));
  camera = await startCameraSim({
    discoveryPort: null,
    source: { kind: 'scene', scene: 'testsrc2' },
    main: { width: 320, height: 180, fps: 10 },
    sub: { width: 160, height: 90, fps: 5 },
    idleStopMs: 1_000,
    user: 'rec',
    password: 'Rec-pass-1',
  });
});
after(async () => {
  await camera?.stop();
  await rm(dir, { recursive: true, force: true });
});

for (const transport of ['tcp', 'udp'] as const) {
  test(`RTSP main stream over ${transport.toUpperCase()} -> segments -> clip [t-2s, t+2s], H.264 baseline as the camera sends it`, async () => {
    const recorder = new SegmentRecorder({
      cameraId: `cam_main_${transport}`,
      url: camera.rtspUrl.main.replace('rtsp://', 'rtsp://rec:Rec-pass-1@'),
      transport,
      dir: join(dir, transport),
      segmentSeconds: 1,
      windowSeconds: 10,
    });
    try {
      await recorder.start();
      const deadline = Date.now() + 20_000;
      while (recorder.health().state !== 'recording' && Date.now() < deadline) await delay(200);
      assert.equal(recorder.health().state, 'recording', JSON.stringify(recorder.health()));
      await delay(2_500);
      const at = Date.now();
      const result = await recorder.clip({ at, preMs: 2_000, postMs: 2_000, outputDir: join(dir, `clips-${transport}`) });
      assert.equal(result.complete, true, result.warnings.join('; '));
      assert.ok(result.clip.startedAt <= at - 2_000 && result.clip.endedAt >= at + 2_000);
      const probe = await probeMedia(result.clip.path);
      assert.deepEqual(probe.video, { codec: 'h264', profile: 'Constrained Baseline', width: 320, height: 180 });
      assert.ok((probe.format.duration ?? 0) >= 4);
      assert.ok(result.snapshot && result.snapshot.bytes > 0);
    } finally {
      await recorder.close();
    }
  });
}
