import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { startCameraSim, type CameraSim } from '../camera-sim/index.js';
import { chooseStreams, describeCamera, parseProbeMatches, probe, resolveCameraStreams } from './index.js';

// Encoders of camera-sim start only when someone reads video, so these ONVIF-only tests run no ffmpeg.
const sims: CameraSim[] = [];
let laneOne: CameraSim;
let laneTwo: CameraSim;
before(async () => {
  laneOne = await startCameraSim({ name: 'Lane 1', location: 'store-7', user: 'operator', password: 'pw-one', discoveryPort: 0 });
  laneTwo = await startCameraSim({ name: 'Lane 2', user: 'operator', password: 'pw-two', discoveryPort: 0, sub: { width: 320, height: 180, fps: 5 } });
  sims.push(laneOne, laneTwo);
});
after(() => Promise.all(sims.map((s) => s.stop())));

test('a unicast probe finds both simulated cameras with their device service and scopes', async () => {
  const targets = [laneOne, laneTwo].map((s) => ({ host: '127.0.0.1', port: s.discoveryPort ?? 0 }));
  const devices = await probe({ targets, timeoutMs: 600 });
  assert.equal(devices.length, 2);
  const one = devices.find((d) => d.endpoint === `urn:uuid:${laneOne.uuid}`);
  assert.ok(one, 'lane 1 answered');
  assert.equal(one.xaddr, laneOne.onvifUrl);
  assert.equal(one.name, 'Lane 1');
  assert.equal(one.location, 'store-7');
  assert.ok(devices.some((d) => d.xaddr === laneTwo.onvifUrl && d.name === 'Lane 2'));
});

test('describing both cameras reads identity, profiles, stream URIs and picks analysis/evidence profiles', async () => {
  const one = await describeCamera({ xaddr: laneOne.onvifUrl, user: 'operator', password: 'pw-one' });
  assert.equal(one.identity.manufacturer, 'Vigil');
  assert.equal(one.identity.model, 'camera-sim');
  assert.deepEqual(one.profiles.map((p) => [p.token, p.encoding, p.width, p.height, p.fps]), [['main', 'H264', 1280, 720, 10], ['sub', 'H264', 640, 360, 10]]);
  assert.deepEqual(one.profiles.map((p) => p.streamUri), [laneOne.rtspUrl.main, laneOne.rtspUrl.sub]);
  assert.equal(one.profiles[1]?.snapshotUri, laneOne.snapshotUrl.sub);
  const oneStreams = chooseStreams(one.profiles);
  assert.equal(oneStreams.analysis.uri, laneOne.rtspUrl.sub);
  assert.equal(oneStreams.evidence.uri, laneOne.rtspUrl.main);

  // Lane 2's sub-stream is only 180 px tall: analysis has to use the main stream.
  const { streams } = await resolveCameraStreams({ kind: 'onvif', xaddr: laneTwo.onvifUrl, user: 'operator', password: 'pw-two' });
  assert.equal(streams.analysis.uri, laneTwo.rtspUrl.main);
  assert.equal(streams.evidence.uri, laneTwo.rtspUrl.main);
});

test('a wrong password is refused as unauthenticated', async () => {
  await assert.rejects(describeCamera({ xaddr: laneOne.onvifUrl, user: 'operator', password: 'pw-two' }), (error: unknown) => {
    assert.ok(error instanceof Error && 'code' in error);
    assert.equal(error.code, 'unauthenticated');
    assert.match(error.message, /refused the ONVIF credentials/);
    return true;
  });
});

test('a camera whose clock is an hour off is still authenticated, and its offset is reported', async () => {
  const skewed = await startCameraSim({ user: 'u', password: 'p', discoveryPort: null, clockSkewMs: 3_600_000 });
  sims.push(skewed);
  const description = await describeCamera({ xaddr: skewed.onvifUrl, user: 'u', password: 'p' });
  assert.ok(Math.abs(description.timeOffsetMs - 3_600_000) < 5_000, String(description.timeOffsetMs));
});

test('stream URIs with an unspecified host (0.0.0.0) are rewritten to the device host', async () => {
  const quirky = await startCameraSim({ discoveryPort: null, streamUriHost: '0.0.0.0' });
  sims.push(quirky);
  const description = await describeCamera({ xaddr: quirky.onvifUrl });
  assert.equal(description.profiles[0]?.streamUri, quirky.rtspUrl.main);
});

function servePoison(body: string): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/soap+xml' }).end(body));
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/onvif/device_service` });
    });
  });
}

test('a SOAP response with a DOCTYPE/entity declaration is refused as malformed_xml', async () => {
  const { server, url } = await servePoison(
    '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>' +
      '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><GetCapabilitiesResponse>&lol2;</GetCapabilitiesResponse></s:Body></s:Envelope>',
  );
  try {
    await assert.rejects(describeCamera({ xaddr: url, user: 'a', password: 'b' }), { code: 'malformed_xml' });
  } finally {
    server.close();
  }
});

test('a ProbeMatches reply with a DOCTYPE is refused', () => {
  const reply = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Envelope><Body><ProbeMatches>&e;</ProbeMatches></Body></Envelope>';
  assert.throws(() => parseProbeMatches(reply, 'uuid:1', { address: '127.0.0.1' }), { code: 'malformed_xml' });
});

test('an unreachable device is unavailable, a bad URL or config is a validation error', async () => {
  const gone = await startCameraSim({ discoveryPort: null });
  await gone.stop();
  await assert.rejects(describeCamera({ xaddr: gone.onvifUrl, timeoutMs: 1000 }), { code: 'unavailable' });
  await assert.rejects(describeCamera({ xaddr: 'ftp://camera/' }), { code: 'validation_failed' });
  await assert.rejects(resolveCameraStreams({ kind: 'rtsp', analysisUrl: 'http://x/' }), { code: 'validation_failed' });
  const { streams } = await resolveCameraStreams({ kind: 'rtsp', analysisUrl: 'rtsp://cam/sub', evidenceUrl: 'rtsp://cam/main' });
  assert.deepEqual([streams.analysis.uri, streams.evidence.uri], ['rtsp://cam/sub', 'rtsp://cam/main']);
});
