import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, test } from 'node:test';
import { startCameraSim, type CameraSim } from '../../plugin/camera-sim/index.js';
import { describeCamera, resolveCameraStreams } from '../../plugin/discovery/index.js';
import { BASE_DEVICE, fixture, serveFixtureDevice, type FixtureDevice } from './fixture-device.js';

const closers: Array<CameraSim | FixtureDevice> = [];
after(() => Promise.all(closers.map((c) => ('stop' in c ? c.stop() : c.close()))));

test('a camera that takes HTTP Digest only on its SOAP endpoint is described; a wrong password stays unauthenticated', async () => {
  const sim = await startCameraSim({ name: 'Digest Only', user: 'admin', password: 'dg-pw', soapAuth: 'digest', discoveryPort: null });
  closers.push(sim);
  const description = await describeCamera({ xaddr: sim.onvifUrl, user: 'admin', password: 'dg-pw' });
  assert.deepEqual(description.profiles.map((p) => p.streamUri), [sim.rtspUrl.main, sim.rtspUrl.sub]);
  await assert.rejects(describeCamera({ xaddr: sim.onvifUrl, user: 'admin', password: 'nope' }), { code: 'unauthenticated' });
});

test('an https device with a self-signed certificate: refused unpinned or with another pin, described with its pin', async () => {
  const device = await serveFixtureDevice({ ...BASE_DEVICE, GetProfiles: 'h265-get-profiles.xml' }, true);
  closers.push(device);
  const fingerprint = new X509Certificate(fixture('tls-test-camera.crt')).fingerprint256;
  await assert.rejects(describeCamera({ xaddr: device.xaddr, timeoutMs: 3000 }), { code: 'forbidden' });
  await assert.rejects(describeCamera({ xaddr: device.xaddr, timeoutMs: 3000, certificateSha256: 'AB'.repeat(32) }), { code: 'forbidden', message: /pinned certificate/ });
  const { streams } = await resolveCameraStreams({ kind: 'onvif', xaddr: device.xaddr, certificateSha256: fingerprint });
  assert.equal(streams.evidence.encoding, 'H265');
  await assert.rejects(resolveCameraStreams({ kind: 'onvif', xaddr: device.xaddr, certificateSha256: 'not-a-fingerprint' }), { code: 'validation_failed' });
});
