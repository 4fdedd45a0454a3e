import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { newId } from '../../contracts/index.js';
import { startCameraSim } from '../camera-sim/index.js';
import { validatePluginConfig } from '../config/index.js';
import { resolveCameras } from './camera-resolver.js';

test('discovered cameras: found by their endpoint, sub-stream for analysis and main for evidence with the ONVIF credentials; a silent endpoint is left out', { timeout: 60_000 }, async (t) => {
  const sim = await startCameraSim({ name: 'Lane 4', user: 'vigil', password: 'p@ss word', discoveryPort: 0 });
  t.after(() => sim.stop());
  const storeId = newId('store');
  const found = newId('camera');
  const missing = newId('camera');
  const { config } = validatePluginConfig({
    hub: { url: 'http://127.0.0.1:9', token: 'vgl_testtesttesttesttest' },
    model: { path: 'unused.onnx', decoder: 'nanodet' },
    cameras: [{ id: newId('camera'), storeId, analysisUrl: 'rtsp://10.0.0.9/sub', zones: [] }],
    discovery: {
      storeId,
      probeTargets: [{ host: '127.0.0.1', port: sim.discoveryPort }],
      timeoutMs: 1_500,
      credentials: { username: 'vigil', password: 'p@ss word' },
      cameras: [
        { endpoint: `urn:uuid:${sim.uuid}`, id: found, zones: [{ name: 'door', type: 'exit', polygon: [[0, 0], [1, 0], [1, 1]] }] },
        { endpoint: 'urn:uuid:00000000-0000-0000-0000-000000000000', id: missing },
      ],
    },
  }, {}, 'test');
  const cameras = await resolveCameras(config, pino({ level: 'silent' }));
  assert.deepEqual(cameras.map((c) => c.id).slice(1), [found]);
  const camera = cameras[1];
  assert.equal(camera?.storeId, storeId);
  assert.equal(camera?.zones[0]?.name, 'door');
  const analysis = new URL(camera?.analysisUrl ?? '');
  const evidence = new URL(camera?.evidenceUrl ?? '');
  assert.equal(analysis.pathname, new URL(sim.rtspUrl.sub).pathname);
  assert.equal(evidence.pathname, new URL(sim.rtspUrl.main).pathname);
  assert.equal(decodeURIComponent(analysis.password), 'p@ss word');
  assert.equal(decodeURIComponent(analysis.username), 'vigil');
});
