import assert from 'node:assert/strict';
import { freeUdpPort } from '../support/free-ports.js';
import { test } from 'node:test';
import { pino } from 'pino';
import { newId } from '../../contracts/index.js';
import { stableUuid, startCameraSim } from '../../plugin/camera-sim/index.js';
import { validatePluginConfig } from '../../plugin/config/index.js';
import { MissingCameraWatch, resolveCameraSet, type ResolvedCamera } from '../../plugin/pipeline/index.js';

test('a camera that boots after the plugin is offline in status, then picked up when it answers (no restart)', { timeout: 60_000 }, async (t) => {
  const discoveryPort = await freeUdpPort();
  const name = 'Late Lane';
  const id = newId('camera');
  const { config } = validatePluginConfig({
    hub: { url: 'http://127.0.0.1:9', token: 'vgl_testtesttesttesttest' },
    model: { path: 'unused.onnx', decoder: 'nanodet' },
    discovery: {
      storeId: newId('store'), probeTargets: [{ host: '127.0.0.1', port: discoveryPort }], timeoutMs: 500,
      retry: { initialMs: 200, maxMs: 1_000 },
      // The simulator's UUID is derived from its name, so the endpoint is known before it runs, as in a real config.
      cameras: [{ endpoint: `urn:uuid:${stableUuid(name)}`, id }],
    },
  }, {}, 'test');
  const discovery = config.discovery;
  assert.ok(discovery);
  const logger = pino({ level: 'silent' });
  const { cameras, missing } = await resolveCameraSet(config, logger);
  assert.deepEqual([cameras.length, missing.map((m) => m.wanted.id)], [0, [id]]);

  let found: (camera: ResolvedCamera) => void = () => undefined;
  const appeared = new Promise<ResolvedCamera>((resolve) => (found = resolve));
  const running = new MissingCameraWatch({ discovery, missing, logger, onFound: async (camera) => found(camera) });
  running.start();
  t.after(() => running.stop());
  assert.deepEqual(running.status().map((s) => [s.cameraId, s.state]), [[id, 'offline']]);

  const sim = await startCameraSim({ name, discoveryPort, sub: { width: 160, height: 120, fps: 5 }, main: { width: 320, height: 240, fps: 5 } });
  t.after(() => sim.stop());
  const camera = await appeared;
  assert.equal(camera.id, id);
  assert.equal(camera.evidenceUrl, sim.rtspUrl.main);
  assert.deepEqual(running.status(), []);
});
