import assert from 'node:assert/strict';
import { freeUdpPort } from '../support/free-ports.js';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { z } from 'zod';
import { startCameraSim, type CameraSim } from '../../plugin/camera-sim/index.js';
import { ipv4Interfaces, probe, selectInterfaces } from '../../plugin/discovery/index.js';

const VIGIL = fileURLToPath(new URL('../../bin/vigil.mjs', import.meta.url));
const sims: CameraSim[] = [];
after(() => Promise.all(sims.map((s) => s.stop())));

function discover(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [VIGIL, 'discover', ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

// A camera and an NVR bound on 127.0.0.1, both in the multicast group of the loopback interface on a port of this
// test's own (not 3702, which other processes on the machine may use).
const port = await freeUdpPort();
const camera = await startCameraSim({ name: 'Loopback Camera', host: '127.0.0.1', discoveryPort: port, discoveryMulticast: true });
sims.push(camera);
const nvr = await startCameraSim({ name: 'Loopback NVR', host: '127.0.0.1', channels: 2, discoveryPort: port, discoveryMulticast: true });
sims.push(nvr);
const loopback = ipv4Interfaces().find((i) => i.address === '127.0.0.1');

test('a multicast probe on the loopback interface finds the camera and the NVR; NetworkVideoTransmitter alone misses the NVR', { timeout: 30_000 }, async () => {
  const both = await probe({ interfaces: ['127.0.0.1'], multicastPort: port, timeoutMs: 800 });
  assert.deepEqual(both.map((d) => d.endpoint).sort(), [`urn:uuid:${camera.uuid}`, `urn:uuid:${nvr.uuid}`].sort());
  assert.equal(both.find((d) => d.endpoint === `urn:uuid:${nvr.uuid}`)?.xaddr, nvr.onvifUrl);
  const transmittersOnly = await probe({ interfaces: ['127.0.0.1'], multicastPort: port, timeoutMs: 800, types: ['dn:NetworkVideoTransmitter'] });
  assert.deepEqual(transmittersOnly.map((d) => d.endpoint), [`urn:uuid:${camera.uuid}`]);
});

test('interfaces are chosen by name or address; an unknown one is a validation error', () => {
  assert.ok(loopback, 'this machine has 127.0.0.1');
  assert.deepEqual(selectInterfaces([loopback.name]).map((i) => i.address).includes('127.0.0.1'), true);
  assert.deepEqual(selectInterfaces(['127.0.0.1', loopback.name]).filter((i) => i.address === '127.0.0.1').length, 1);
  assert.throws(() => selectInterfaces(['no-such-nic0']), { code: 'validation_failed' });
});

const reportSchema = z.array(z.object({ endpoint: z.string().nullable(), sources: z.array(z.object({ videoSourceToken: z.string().nullable() })) }));

test('vigil discover --interface NAME finds the NVR (tds:Device) and the camera, with the NVR\'s channels; a bad --interface fails', { timeout: 60_000 }, async () => {
  assert.ok(loopback);
  const result = await discover(['--interface', loopback.name, '--discovery-port', String(port), '--timeout', '1', '--json']);
  assert.equal(result.code, 0, result.stderr);
  const reports = reportSchema.parse(JSON.parse(result.stdout));
  const byEndpoint = new Map(reports.map((r) => [r.endpoint, r.sources.map((s) => s.videoSourceToken)]));
  assert.deepEqual(byEndpoint.get(`urn:uuid:${nvr.uuid}`), ['vs1', 'vs2']);
  assert.deepEqual(byEndpoint.get(`urn:uuid:${camera.uuid}`), ['vs']);
  const bad = await discover(['--interface', 'no-such-nic0', '--discovery-port', String(port), '--timeout', '0.5']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /no IPv4 interface no-such-nic0/);
});
