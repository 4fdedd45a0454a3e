// A camera that boots after the plugin (the box comes up before its PoE cameras after a power cut), through the
// whole plugin and a real hub: offline in the plugin's health and at the hub while missing, looked for again with
// the configured backoff, started when it answers, and its outage closed at the hub once it streams. No restart.
import assert from 'node:assert/strict';
import { freeUdpPort } from '../support/free-ports.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pino } from 'pino';
import { startPlugin } from '../../plugin/app.js';
import { stableUuid, startCameraSim } from '../../plugin/camera-sim/index.js';
import type { CameraHealth } from '../../plugin/capture/index.js';
import { validatePluginConfig } from '../../plugin/config/index.js';
import { healthReport } from '../../plugin/health/index.js';
import type { MissingCameraStatus } from '../../plugin/pipeline/index.js';
import { sharedModelDir } from '../../plugin/pipeline/test-support/person-video.js';
import { startTestHub } from '../support/hub.js';

const MODEL_DIR = sharedModelDir();

test('the plugin picks up a camera started after it, reports it offline meanwhile (health and hub), and closes the outage', {
  timeout: 180_000,
  skip: MODEL_DIR === null ? 'shared/models/nanodet-m absent: the plugin cannot start its detector' : false,
}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-late-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const hub = await startTestHub({ dataDir: join(dir, 'hub') });
  t.after(() => hub.stop());
  const store = await hub.createStore();
  const camera = await hub.createCamera(store.id);
  const token = await hub.createPluginToken([store.id]);
  const discoveryPort = await freeUdpPort();
  const name = 'Late PoE Camera';
  const { config } = validatePluginConfig({
    hub: { url: hub.url, token },
    dataDir: join(dir, 'plugin'),
    model: { path: join(MODEL_DIR ?? '', 'nanodet_m.onnx'), decoder: 'nanodet', workers: 1 },
    analysis: { width: 160, height: 120, fps: 2 },
    outbox: { drainTimeoutMs: 30_000 },
    discovery: {
      storeId: store.id, probeTargets: [{ host: '127.0.0.1', port: discoveryPort }], timeoutMs: 500,
      credentials: { username: 'admin', password: 'late-pw' },
      retry: { initialMs: 200, maxMs: 1_000 },
      cameras: [{ endpoint: `urn:uuid:${stableUuid(name)}`, id: camera.id }],
    },
  }, {}, 'test');

  let failedRound: (s: MissingCameraStatus[]) => void = () => undefined;
  const firstFailedRound = new Promise<MissingCameraStatus[]>((resolve) => (failedRound = resolve));
  let started: (id: string) => void = () => undefined;
  const pickedUp = new Promise<string>((resolve) => (started = resolve));
  const plugin = await startPlugin(config, {
    logger: pino({ level: process.env.VIGIL_TEST_LOG ?? 'silent' }), isRecording: false,
    onMissingCameraRound: (still) => {
      if (still.length > 0) failedRound(still);
    },
    onCameraStarted: (id) => started(id),
  });
  t.after(() => plugin.stop());

  const atStart = healthReport(plugin.status(), { version: 'test', startedAt: new Date() });
  assert.equal(atStart.status, 'degraded');
  assert.deepEqual(atStart.cameras.map((c) => [c.id, c.state, c.missing]), [[camera.id, 'offline', true]]);
  assert.match(atStart.cameras[0]?.lastError ?? '', /did not answer the discovery probe/);

  // Started only once the plugin has looked again and failed: the retry, not the first resolution, finds it.
  const still = await firstFailedRound;
  assert.ok((still[0]?.attempts ?? 0) >= 1);
  const sim = await startCameraSim({ name, discoveryPort, user: 'admin', password: 'late-pw', idleStopMs: 500, main: { width: 160, height: 120, fps: 5 }, sub: { width: 160, height: 120, fps: 5 } });
  t.after(() => sim.stop());
  assert.equal(await pickedUp, camera.id);

  const runner = plugin.cameras.find((c) => c.cameraId === camera.id);
  assert.ok(runner, 'the camera runs in the same plugin process');
  assert.equal(runner.camera.analysisUrl.replace(/\/\/[^@]*@/, '//'), sim.rtspUrl.sub);
  if (runner.source.health().state !== 'streaming') {
    await new Promise<void>((resolve) => {
      const onHealth = (h: CameraHealth): void => {
        if (h.state !== 'streaming') return;
        runner.source.off('health', onHealth);
        resolve();
      };
      runner.source.on('health', onHealth);
    });
  }
  const running = healthReport(plugin.status(), { version: 'test', startedAt: new Date() });
  assert.deepEqual(running.cameras.map((c) => [c.id, c.state, c.missing]), [[camera.id, 'streaming', false]]);
  const { pending } = await plugin.stop();
  assert.equal(pending, 0, 'stop drained the outbox');

  // At the hub: offline while missing, then streaming; the outage it opened was closed by the recovery.
  const rows = await hub.db.knex('detection_events').where({ camera_id: camera.id, type: 'camera_health' }).orderBy('occurred_at').select('payload');
  const payloads = rows.map((r: { payload: unknown }) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as { attributes: { state: string; lastError: string | null } });
  assert.deepEqual(payloads.map((p) => p.attributes.state), ['offline', 'streaming']);
  assert.match(payloads[0]?.attributes.lastError ?? '', /camera missing: did not answer the discovery probe/);
  const incidents = await hub.admin.get<{ data: Array<{ type: string; state: string }> }>(`/v1/incidents?cameraId=${camera.id}`);
  assert.deepEqual(incidents.data.filter((i) => i.type === 'camera_health').map((i) => i.state), ['resolved']);
});
