import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { z } from 'zod';
import { startCameraSim, type CameraSim } from '../../plugin/camera-sim/index.js';
import { describeCamera, resolveCameraStreams } from '../../plugin/discovery/index.js';

const sims: CameraSim[] = [];
after(() => Promise.all(sims.map((s) => s.stop())));

test('camera-sim --media2-only: described through Media2; its Media1 service answers Optional Action Not Implemented', async () => {
  const sim = await startCameraSim({ name: 'Media2 Only', user: 'admin', password: 'm2-pw', media2Only: true, channels: 2, discoveryPort: null });
  sims.push(sim);
  const description = await describeCamera({ xaddr: sim.onvifUrl, user: 'admin', password: 'm2-pw' });
  assert.equal(description.mediaService, 'media2');
  assert.deepEqual(description.profiles.map((p) => [p.token, p.videoSourceToken, p.encoding, p.streamUri]), [
    ['ch1_main', 'vs1', 'H264', sim.channels[0]?.rtspUrl.main], ['ch1_sub', 'vs1', 'H264', sim.channels[0]?.rtspUrl.sub],
    ['ch2_main', 'vs2', 'H264', sim.channels[1]?.rtspUrl.main], ['ch2_sub', 'vs2', 'H264', sim.channels[1]?.rtspUrl.sub],
  ]);
  assert.match(description.profiles[0]?.snapshotUri ?? '', /\/snapshot\/ch1_main\.jpg$/);
  const media1 = await fetch(sim.onvifUrl.replace('device_service', 'media_service'), {
    method: 'POST', headers: { 'content-type': 'application/soap+xml' },
    body: '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><trt:GetProfiles xmlns:trt="http://www.onvif.org/ver10/media/wsdl"/></s:Body></s:Envelope>',
  });
  assert.equal(media1.status, 500);
  assert.match(await media1.text(), /ActionNotSupported.*Optional Action Not Implemented/);
  const { streams } = await resolveCameraStreams({ kind: 'onvif', xaddr: sim.onvifUrl, user: 'admin', password: 'm2-pw', videoSource: 2, minAnalysisHeight: 64 });
  assert.deepEqual([streams.videoSourceToken, streams.evidence.uri], ['vs2', sim.channels[1]?.rtspUrl.main]);
  await assert.rejects(describeCamera({ xaddr: sim.onvifUrl, user: 'admin', password: 'wrong' }), { code: 'unauthenticated' });
});

test('camera-sim with both services: Media2 is preferred, Media1 still answers', async () => {
  const sim = await startCameraSim({ name: 'Both Media', discoveryPort: null });
  sims.push(sim);
  const description = await describeCamera({ xaddr: sim.onvifUrl });
  assert.equal(description.mediaService, 'media2');
  assert.equal(description.eventsXaddr, sim.onvifUrl.replace('device_service', 'event_service'));
  assert.deepEqual(description.profiles.map((p) => p.streamUri), [sim.rtspUrl.main, sim.rtspUrl.sub]);
});

const VIGIL = fileURLToPath(new URL('../../bin/vigil.mjs', import.meta.url));

test('vigil camera-sim --media2-only --channels 2: a Media2-only NVR from the command line', { timeout: 60_000 }, async () => {
  const child = spawn(process.execPath, [VIGIL, 'camera-sim', '--media2-only', '--channels', '2', '--http-port', '0', '--rtsp-port', '0', '--no-discovery', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += String(c);
        if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
      });
      child.on('exit', () => reject(new Error('camera-sim exited early')));
    });
    const [camera] = z.array(z.object({ onvifUrl: z.string() })).parse(JSON.parse(line));
    assert.ok(camera);
    const description = await describeCamera({ xaddr: camera.onvifUrl });
    assert.equal(description.mediaService, 'media2');
    assert.deepEqual([...new Set(description.profiles.map((p) => p.videoSourceToken))], ['vs1', 'vs2']);
  } finally {
    child.kill('SIGINT');
    await exited;
  }
});
