// The acceptance of Vigil issue 14 through the whole plugin: camera-sim as a 4-channel NVR (each channel loops a
// video of a person with its channel's colour drawn on it), four cameras configured on its channels by index and by
// token, discovery -> ONVIF (Media2) -> per-channel streams -> capture -> NanoDet-m -> zone_dwell -> the clip cut
// from each camera's own recording. Each camera's clip must show its own channel's marker. The NVR's events service
// is subscribed too: a tamper alarm on channel 3 reaches the hub as channel 3's camera health, and no one else's.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pino } from 'pino';
import type { DetectionEvent } from '../../contracts/index.js';
import { startPlugin } from '../../plugin/app.js';
import { startCameraSim } from '../../plugin/camera-sim/index.js';
import { ffmpegPath } from '../../plugin/capture/index.js';
import { validatePluginConfig } from '../../plugin/config/index.js';
import type { DeviceEvent } from '../../plugin/discovery/index.js';
import { makePersonVideo, sharedModelDir } from '../../plugin/pipeline/test-support/person-video.js';
import { startTestHub } from '../support/hub.js';
import { grabFrame, readChannel } from './channel-marker.js';

const MODEL_DIR = sharedModelDir();

test('an NVR with 4 channels through the plugin: every camera\'s evidence clip shows its own channel; tamper is per channel', {
  timeout: Number(process.env.NVR_TEST_TIMEOUT ?? 300_000),
  skip: MODEL_DIR === null ? 'shared/models/nanodet-m absent: no detector to raise events' : false,
}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-nvr-plugin-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const hub = await startTestHub({ dataDir: join(dir, 'hub') });
  t.after(() => hub.stop());
  const store = await hub.createStore();
  const cameras = [await hub.createCamera(store.id), await hub.createCamera(store.id), await hub.createCamera(store.id), await hub.createCamera(store.id)];
  const token = await hub.createPluginToken([store.id]);

  const size = { width: 384, height: 256, fps: 5 };
  const video = await makePersonVideo(dir, 'person.mp4', { ...size, seconds: 8, isPanning: true });
  const nvr = await startCameraSim({
    name: 'Store NVR', channels: 4, user: 'admin', password: 'nvr-pw', discoveryPort: 0, source: { kind: 'file', path: video },
    main: size, sub: size,
  });
  t.after(() => nvr.stop());

  // Channels by 1-based index and by token, out of order on purpose: camera i watches channel expected[i].
  const selectors: Array<string | number> = [3, 'vs1', 4, 'vs2'];
  const expected = [3, 1, 4, 2];
  const zone = { name: 'till', type: 'customer', polygon: [[0.05, 0.3], [0.75, 0.3], [0.75, 1], [0.05, 1]] };
  const { config } = validatePluginConfig({
    hub: { url: hub.url, token },
    dataDir: join(dir, 'plugin'),
    model: { path: join(MODEL_DIR ?? '', 'nanodet_m.onnx'), decoder: 'nanodet', workers: 1 },
    analysis: { ...size, fps: 2 },
    evidence: { preSeconds: 1, postSeconds: 1, windowSeconds: 20 },
    outbox: { drainTimeoutMs: 60_000 },
    discovery: {
      storeId: store.id, probeTargets: [{ host: '127.0.0.1', port: nvr.discoveryPort }], timeoutMs: 1_000,
      credentials: { username: 'admin', password: 'nvr-pw' },
      cameras: selectors.map((videoSource, i) => ({ endpoint: `urn:uuid:${nvr.uuid}`, id: cameras[i]?.id, videoSource, zones: [zone] })),
    },
    rules: [{ rule: 'zone_dwell', name: 'at the till', zoneType: 'customer', labels: ['person'], minSeconds: 1, severity: 'medium' }],
  }, {}, 'test');

  const firstEvent = new Map<string, DetectionEvent>();
  let allRaised: () => void = () => undefined;
  const raised = new Promise<void>((resolve) => (allRaised = resolve));
  const plugin = await startPlugin(config, {
    logger: pino({ level: process.env.VIGIL_TEST_LOG ?? 'silent' }),
    tracker: { highScore: 0.4, newTrackScore: 0.45 },
    onEventQueued: (event) => {
      if (event.type !== 'zone_dwell' || firstEvent.has(event.cameraId)) return;
      firstEvent.set(event.cameraId, event);
      if (firstEvent.size === cameras.length) allRaised();
    },
  });
  t.after(() => plugin.stop());
  assert.deepEqual(plugin.cameras.map((c) => [c.cameraId, c.camera.videoSourceToken]), cameras.map((c, i) => [c.id, `vs${expected[i]}`]));
  assert.ok(plugin.cameras.every((c) => c.deviceEvents !== null), 'every channel subscribes to the NVR\'s events');

  // Tamper on channel 3: the camera on channel 3 (the first configured) takes it, the others do not.
  const onChannel3 = plugin.cameras[0];
  assert.ok(onChannel3?.deviceEvents);
  const tampered = new Promise<DeviceEvent>((resolve) => onChannel3.deviceEvents?.on('event', (e) => {
    if (e.kind === 'tamper' && e.active) resolve(e);
  }));
  // Subscribed first (then the NVR queues the alarm for this subscription); its first messages follow subscribing.
  if (!onChannel3.deviceEvents.isSubscribed) await new Promise<void>((resolve) => onChannel3.deviceEvents?.once('event', () => resolve()));
  assert.equal(nvr.eventSubscriptions, 1, 'the four channels share one subscription to their NVR');
  assert.ok(plugin.cameras.every((c) => c.deviceEvents === onChannel3.deviceEvents));
  nvr.setTamper(true, 'vs3');
  assert.equal((await tampered).source, 'vs3');

  await raised;
  const status = plugin.status();
  assert.deepEqual(status.cameras.map((c) => c.deviceEvents?.tamper), [true, false, false, false]);
  const { pending } = await plugin.stop();
  assert.equal(pending, 0, 'stop drained the outbox (events, clips, health)');
  assert.equal(nvr.eventSubscriptions, 0, 'the last camera to stop unsubscribed');

  // Each camera's clip, as the plugin cut it from its own recording, shows its own channel's marker.
  const channels = await Promise.all(cameras.map(async (camera) => {
    const event = firstEvent.get(camera.id);
    assert.ok(event, `camera ${camera.id} raised an event`);
    return readChannel(await grabFrame(ffmpegPath, join(dir, 'plugin', 'clips', camera.id, `${event.id}.mp4`)));
  }));
  assert.deepEqual(channels, expected);

  const health = await hub.db.knex('detection_events').where({ type: 'camera_health' }).select('camera_id', 'payload');
  const tamperReports = health
    .map((r: { camera_id: string; payload: unknown }) => ({ camera: r.camera_id, payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as { attributes: Record<string, unknown> } }))
    .filter((r) => r.payload.attributes.tamper === true);
  assert.deepEqual(tamperReports.map((r) => [r.camera, r.payload.attributes.state, r.payload.attributes.tamperTopic]), [[cameras[0]?.id, 'degraded', 'tns1:VideoSource/GlobalSceneChange/ImagingService']]);
});
