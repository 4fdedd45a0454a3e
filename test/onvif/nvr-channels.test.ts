import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pino } from 'pino';
import { newId } from '../../contracts/index.js';
import { startCameraSim } from '../../plugin/camera-sim/index.js';
import { validatePluginConfig } from '../../plugin/config/index.js';
import { resolveCameras } from '../../plugin/pipeline/index.js';
import { grabFrame, readChannel } from './channel-marker.js';

const ffmpegPath = (await import('@ffmpeg-installer/ffmpeg')).default.path;

/** Records a short clip of a stream, as evidence is recorded: a file decoded afterwards. */
function recordClip(input: string, file: string): Promise<void> {
  const child = spawn(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-i', input, '-frames:v', '3', '-c', 'copy', '-y', file], { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code} recording ${input}`))));
  });
}

test('an NVR with 4 channels: each configured camera analyses and records its own channel (read from the frames)', { timeout: 120_000 }, async (t) => {
  const nvr = await startCameraSim({
    name: 'NVR 4', channels: 4, user: 'admin', password: 'nvr-pw', discoveryPort: 0, idleStopMs: 500,
    main: { width: 192, height: 144, fps: 5 }, sub: { width: 160, height: 120, fps: 5 },
  });
  const dir = await mkdtemp(join(tmpdir(), 'vigil-nvr-'));
  t.after(async () => {
    await nvr.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const storeId = newId('store');
  // Channels chosen by 1-based index and by token, listed out of order on purpose.
  const selectors: Array<string | number> = [3, 1, 'vs4', 2];
  const ids = selectors.map(() => newId('camera'));
  const { config } = validatePluginConfig({
    hub: { url: 'http://127.0.0.1:9', token: 'vgl_testtesttesttesttest' },
    model: { path: 'unused.onnx', decoder: 'nanodet' },
    discovery: {
      storeId, probeTargets: [{ host: '127.0.0.1', port: nvr.discoveryPort }], timeoutMs: 1_000,
      credentials: { username: 'admin', password: 'nvr-pw' },
      cameras: selectors.map((videoSource, i) => ({ endpoint: `urn:uuid:${nvr.uuid}`, id: ids[i], videoSource })),
    },
  }, {}, 'test');
  const discovery = config.discovery;
  assert.ok(discovery);
  const cameras = await resolveCameras(config, pino({ level: 'silent' }));
  assert.deepEqual(cameras.map((c) => c.id), ids);
  assert.ok(cameras.every((c) => c.deviceEvents?.xaddr === nvr.onvifUrl.replace('device_service', 'event_service')), 'the NVR\'s events service is kept for each channel');
  const withoutEvents = await resolveCameras({ ...config, discovery: { ...discovery, deviceEvents: false } }, pino({ level: 'silent' }));
  assert.deepEqual(withoutEvents.map((c) => c.deviceEvents), [null, null, null, null], 'discovery.deviceEvents: false subscribes to nothing');
  const expected = [3, 1, 4, 2];
  assert.deepEqual(cameras.map((c) => c.videoSourceToken), expected.map((n) => `vs${n}`));
  const read = await Promise.all(cameras.map(async (camera) => {
    const clip = join(dir, `${camera.id}.mkv`);
    await recordClip(camera.evidenceUrl, clip);
    return [readChannel(await grabFrame(ffmpegPath, clip)), readChannel(await grabFrame(ffmpegPath, camera.analysisUrl))];
  }));
  // Per camera: the channel read from its evidence clip's frame and from its analysis stream's frame.
  assert.deepEqual(read, expected.map((n) => [n, n]));
});
