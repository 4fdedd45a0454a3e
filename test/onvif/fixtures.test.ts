import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createRequire } from 'node:module';
import { chooseStreams, chooseStreamsPerSource, describeCamera, ffmpegCodecOf, parseProbeMatches, readMediaProfiles } from '../../plugin/discovery/index.js';
import { BASE_DEVICE, fixture, serveFixtureDevice, type FixtureDevice } from './fixture-device.js';

// node-onvif's own SOAP parser (xml2js), as the plugin uses it, turns fixture text into the shape profiles are read from.
const soap = (createRequire(import.meta.url)('node-onvif') as { _OnvifSoap: { parse(xml: string): Promise<{ Body: Record<string, unknown> }> } })._OnvifSoap;
const devices: FixtureDevice[] = [];
after(() => Promise.all(devices.map((d) => d.close())));

async function device(profilesFile: string): Promise<FixtureDevice> {
  const served = await serveFixtureDevice({ ...BASE_DEVICE, GetProfiles: profilesFile });
  devices.push(served);
  return served;
}

test('an NVR profile with an empty encoder configuration is skipped and reported; the other profiles are read', async () => {
  const parsed = await soap.parse(fixture('nvr-get-profiles.xml'));
  const reading = readMediaProfiles(parsed.Body.GetProfilesResponse);
  assert.deepEqual(reading.profiles.map((p) => [p.token, p.videoSourceToken, p.width, p.height]), [
    ['ch1_main', 'VideoSource_1', 1920, 1080], ['ch1_sub', 'VideoSource_1', 640, 360], ['ch2_sub', 'VideoSource_2', 704, 576], ['ch3_main', 'VideoSource_3', 3840, 2160],
  ]);
  assert.deepEqual(reading.skipped.map((s) => s.token), ['ch2_main', 'ch2_audio']);
  assert.match(reading.skipped[0]?.reason ?? '', /Resolution/);
});

test('the whole NVR is described over HTTP despite the unreadable profile, and each channel keeps its own streams', async () => {
  const nvr = await device('nvr-get-profiles.xml');
  const description = await describeCamera({ xaddr: nvr.xaddr, user: 'admin', password: 'x', timeoutMs: 3000 });
  assert.equal(description.identity.model, 'FX-NVR');
  assert.deepEqual(description.skippedProfiles.map((s) => s.token), ['ch2_main', 'ch2_audio']);
  assert.equal(description.profiles.find((p) => p.token === 'ch3_main')?.streamUri, `rtsp://${nvr.host}/ch3_main`);
  // Channel 3's 4K main stream is the device's largest; channel 1's evidence must still be channel 1's main stream.
  const one = chooseStreams(description.profiles);
  assert.deepEqual([one.videoSourceToken, one.analysis.profileToken, one.evidence.profileToken], ['VideoSource_1', 'ch1_sub', 'ch1_main']);
  const two = chooseStreams(description.profiles, 320, 'VideoSource_2');
  assert.deepEqual([two.analysis.profileToken, two.evidence.profileToken], ['ch2_sub', 'ch2_sub']);
  assert.deepEqual(chooseStreamsPerSource(description.profiles).map((s) => s.videoSourceToken), ['VideoSource_1', 'VideoSource_2', 'VideoSource_3']);
});

test('an H.265 main stream is reported as H.265 and carried to the ffmpeg codec hint', async () => {
  const cam = await device('h265-get-profiles.xml');
  const description = await describeCamera({ xaddr: cam.xaddr, timeoutMs: 3000 });
  assert.deepEqual(description.profiles.map((p) => [p.token, p.encoding]), [['Profile_1', 'H265'], ['Profile_2', 'H264']]);
  // No GetServices (a pre-2.0 device): Media1 from GetCapabilities, and no events service.
  assert.deepEqual([description.mediaService, description.eventsXaddr], ['media1', null]);
  const streams = chooseStreams(description.profiles);
  assert.equal(streams.evidence.encoding, 'H265');
  assert.equal(ffmpegCodecOf(streams.evidence.encoding ?? ''), 'hevc');
  assert.equal(ffmpegCodecOf(streams.analysis.encoding ?? ''), 'h264');
  assert.equal(ffmpegCodecOf('JPEG'), 'mjpeg');
});

test('a camera whose clock is years off reports the offset (WS-Security Created times are corrected by it)', async () => {
  const cam = await device('h265-get-profiles.xml');
  const description = await describeCamera({ xaddr: cam.xaddr, timeoutMs: 3000 });
  const expected = Date.UTC(2020, 0, 1) - Date.now();
  assert.ok(Math.abs(description.timeOffsetMs - expected) < 60_000, `${description.timeOffsetMs} vs ${expected}`);
});

test('of several XAddrs, the one on the address that answered is chosen, whatever its position', () => {
  const reply = fixture('probe-matches-several-xaddrs.xml').replace('MESSAGE_ID', 'uuid:probe-1');
  const [fromPrivate] = parseProbeMatches(reply, 'uuid:probe-1', { address: '192.168.1.64' });
  assert.equal(fromPrivate?.xaddr, 'http://192.168.1.64/onvif/device_service');
  assert.equal(fromPrivate?.xaddrs.length, 3);
  assert.equal(fromPrivate?.name, 'Front Door');
  const [fromLinkLocal] = parseProbeMatches(reply, 'uuid:probe-1', { address: '169.254.10.20' });
  assert.equal(fromLinkLocal?.xaddr, 'http://169.254.10.20/onvif/device_service');
  assert.deepEqual(parseProbeMatches(reply, 'uuid:someone-else', { address: '192.168.1.64' }), []);
});

test('a GetProfiles answer with no Profiles, or malformed ones, gives nothing to use but never throws', async () => {
  assert.deepEqual(readMediaProfiles(undefined), { profiles: [], skipped: [] });
  assert.deepEqual(readMediaProfiles({ Profiles: [{ $: {} }, 'text'] }).skipped.map((s) => s.token), [null, null]);
});

const MEDIA2_DEVICE = {
  ...BASE_DEVICE,
  GetCapabilities: 'get-capabilities-media2-only.xml',
  GetServices: 'get-services-media2.xml',
  'media2:GetProfiles': 'media2-get-profiles.xml',
  'media2:GetStreamUri': 'media2-get-stream-uri.xml',
} as const;

test('a Media2-only device (Media1 answers Optional Action Not Implemented) is described through Media2', async () => {
  const { GetStreamUri: _media1Uri, ...files } = MEDIA2_DEVICE;
  const cam = await serveFixtureDevice(files);
  devices.push(cam);
  const description = await describeCamera({ xaddr: cam.xaddr, user: 'admin', password: 'x', timeoutMs: 3000 });
  assert.equal(description.mediaService, 'media2');
  assert.deepEqual(description.profiles.map((p) => [p.token, p.videoSourceToken, p.encoding, p.width, p.height, p.fps, p.streamUri]), [
    ['Profile_000', 'VideoSource_0', 'H265', 3840, 2160, 25, `rtsp://${cam.host}/media2/Profile_000`],
    ['Profile_001', 'VideoSource_0', 'H264', 704, 480, 15, `rtsp://${cam.host}/media2/Profile_001`],
  ]);
  assert.deepEqual(description.skippedProfiles, [{ token: 'Profile_Metadata', reason: 'no video encoder configuration' }]);
  assert.equal(description.eventsXaddr, `http://${cam.host}/onvif/event_service`);
  const profilesRequest = cam.requests.find((r) => r.action === 'media2:GetProfiles');
  assert.match(profilesRequest?.body ?? '', /<tr2:Type>All<\/tr2:Type>/);
  assert.ok(cam.requests.filter((r) => r.action === 'media2:GetStreamUri').every((r) => /<tr2:Protocol>RtspUnicast</.test(r.body)));
  assert.equal(cam.requests.some((r) => r.action === 'GetProfiles'), false, 'Media1 is not asked when Media2 answers');
  const streams = chooseStreams(description.profiles);
  assert.deepEqual([streams.analysis.profileToken, streams.evidence.profileToken, streams.evidence.encoding], ['Profile_001', 'Profile_000', 'H265']);
});

test('a device that lists Media2 but does not answer it falls back to Media1', async () => {
  const { 'media2:GetProfiles': _p, 'media2:GetStreamUri': _u, ...files } = MEDIA2_DEVICE;
  const cam = await serveFixtureDevice({ ...files, GetCapabilities: 'get-capabilities.xml', GetProfiles: 'h265-get-profiles.xml' });
  devices.push(cam);
  const description = await describeCamera({ xaddr: cam.xaddr, timeoutMs: 3000 });
  assert.equal(description.mediaService, 'media1');
  assert.deepEqual(description.profiles.map((p) => [p.token, p.encoding, p.streamUri]), [
    ['Profile_1', 'H265', `rtsp://${cam.host}/Profile_1`], ['Profile_2', 'H264', `rtsp://${cam.host}/Profile_2`],
  ]);
  assert.deepEqual(cam.requests.map((r) => r.action).filter((a) => a.includes('GetProfiles')), ['media2:GetProfiles', 'GetProfiles']);
});

test('a Media2-only device that fails Media2 too is reported, not described from nothing', async () => {
  const { 'media2:GetProfiles': _p, ...files } = MEDIA2_DEVICE;
  const cam = await serveFixtureDevice(files);
  devices.push(cam);
  await assert.rejects(describeCamera({ xaddr: cam.xaddr, timeoutMs: 3000 }), { code: 'unprocessable', message: /Optional Action Not Implemented/ });
});
