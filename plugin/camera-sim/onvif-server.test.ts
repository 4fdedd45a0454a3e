import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { after, before, test } from 'node:test';
import { startCameraSim, type CameraSim } from './index.js';

let sim: CameraSim;
before(async () => {
  sim = await startCameraSim({
    user: 'admin', password: 's3cret', discoveryPort: 0, name: 'Lane 3', location: 'store-12', idleStopMs: 300,
    main: { width: 480, height: 270, fps: 5 }, sub: { width: 320, height: 180, fps: 5 },
  });
});
after(() => sim.stop());

function usernameToken(user: string, password: string, created = new Date().toISOString()): string {
  const nonce = randomBytes(16);
  const digest = createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created), Buffer.from(password)])).digest('base64');
  return (
    '<Security xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><UsernameToken>' +
    `<Username>${user}</Username><Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">${digest}</Password>` +
    `<Nonce>${nonce.toString('base64')}</Nonce><Created>${created}</Created></UsernameToken></Security>`
  );
}

async function soap(body: string, header = '', prolog = ''): Promise<{ status: number; text: string }> {
  const xml = `${prolog}<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:trt="http://www.onvif.org/ver10/media/wsdl" ` +
    `xmlns:tds="http://www.onvif.org/ver10/device/wsdl"><s:Header>${header}</s:Header><s:Body>${body}</s:Body></s:Envelope>`;
  const res = await fetch(sim.onvifUrl, { method: 'POST', body: xml, headers: { 'content-type': 'application/soap+xml' } });
  return { status: res.status, text: await res.text() };
}

test('GetSystemDateAndTime answers without credentials', async () => {
  const { status, text } = await soap('<tds:GetSystemDateAndTime/>');
  assert.equal(status, 200);
  assert.match(text, new RegExp(`<tt:Year>${new Date().getUTCFullYear()}</tt:Year>`));
});

test('GetProfiles with a correct PasswordDigest lists both H.264 profiles', async () => {
  const { status, text } = await soap('<trt:GetProfiles/>', usernameToken('admin', 's3cret'));
  assert.equal(status, 200);
  assert.match(text, /<trt:Profiles token="main"[\s\S]*<tt:Width>480<\/tt:Width><tt:Height>270<\/tt:Height>/);
  assert.match(text, /<trt:Profiles token="sub"[\s\S]*<tt:Width>320<\/tt:Width><tt:Height>180<\/tt:Height>[\s\S]*<tt:FrameRateLimit>5</);
  const uri = await soap('<trt:GetStreamUri><trt:ProfileToken>sub</trt:ProfileToken></trt:GetStreamUri>', usernameToken('admin', 's3cret'));
  assert.match(uri.text, new RegExp(`<tt:Uri>${sim.rtspUrl.sub}</tt:Uri>`));
});

test('wrong password, missing token or stale Created give a NotAuthorized SOAP fault with HTTP 400', async () => {
  const stale = new Date(Date.now() - 3_600_000).toISOString();
  for (const header of [usernameToken('admin', 'wrong'), '', usernameToken('admin', 's3cret', stale), usernameToken('root', 's3cret')]) {
    const { status, text } = await soap('<tds:GetUsers/>', header);
    assert.equal(status, 400);
    assert.match(text, /<env:Subcode><env:Value>ter:NotAuthorized<\/env:Value>/);
  }
});

test('a replayed UsernameToken (same nonce) is refused', async () => {
  const token = usernameToken('admin', 's3cret');
  assert.equal((await soap('<tds:GetUsers/>', token)).status, 200);
  const replay = await soap('<tds:GetUsers/>', token);
  assert.equal(replay.status, 400);
  assert.match(replay.text, /ter:NotAuthorized/);
});

test('a SOAP request with a DOCTYPE/entity is refused before parsing', async () => {
  const prolog = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>';
  const { status, text } = await soap('<tds:GetSystemDateAndTime/>', '', prolog);
  assert.equal(status, 400);
  assert.match(text, /DTD or entity declaration refused/);
});

test('the snapshot URL serves a JPEG of the current scene, behind HTTP auth', async () => {
  assert.equal((await fetch(sim.snapshotUrl.sub)).status, 401);
  const res = await fetch(sim.snapshotUrl.sub, { headers: { authorization: `Basic ${Buffer.from('admin:s3cret').toString('base64')}` } });
  assert.equal(res.status, 200);
  const jpeg = Buffer.from(await res.arrayBuffer());
  assert.deepEqual([...jpeg.subarray(0, 2)], [0xff, 0xd8]);
  // SOF0 marker carries the picture size: height then width.
  const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  assert.ok(sof > 0);
  assert.equal(jpeg.readUInt16BE(sof + 5), 180);
  assert.equal(jpeg.readUInt16BE(sof + 7), 320);
});

test('a unicast WS-Discovery Probe gets a ProbeMatch with XAddrs, scopes and the endpoint uuid', async () => {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const reply = new Promise<string>((resolve) => socket.once('message', (m) => resolve(m.toString('utf8'))));
  const probe = '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing">' +
    '<s:Header><a:MessageID>uuid:probe-1</a:MessageID></s:Header><s:Body><d:Probe xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" ' +
    'xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>';
  socket.send(probe, sim.discoveryPort ?? 0, '127.0.0.1');
  const text = await reply;
  socket.close();
  assert.match(text, /<a:RelatesTo>uuid:probe-1<\/a:RelatesTo>/);
  assert.match(text, new RegExp(`<d:XAddrs>${sim.onvifUrl}</d:XAddrs>`));
  assert.match(text, new RegExp(`urn:uuid:${sim.uuid}`));
  assert.match(text, /onvif:\/\/www\.onvif\.org\/name\/Lane%203 .*onvif:\/\/www\.onvif\.org\/location\/store-12/);
});

test('what a VMS asks before it has credentials is answered without them: capabilities, services, device information, scopes', async () => {
  for (const action of ['GetCapabilities', 'GetServices', 'GetDeviceInformation', 'GetScopes']) {
    const { status, text } = await soap(`<tds:${action}/>`);
    assert.equal(status, 200, action);
    assert.match(text, new RegExp(`<tds:${action}Response>`));
  }
  assert.match((await soap('<tds:GetScopes/>')).text, /onvif:\/\/www.onvif.org\/name\/Lane%203/);
});

test('the Profile S operations a VMS calls when adding a camera answer with credentials', async () => {
  const ask = async (body: string): Promise<string> => {
    const { status, text } = await soap(body, usernameToken('admin', 's3cret'));
    assert.equal(status, 200, body);
    return text;
  };
  assert.match(await ask('<trt:GetVideoSources/>'), /<trt:VideoSources token="vs"><tt:Framerate>5<\/tt:Framerate><tt:Resolution><tt:Width>480</);
  assert.match(await ask('<trt:GetVideoSourceConfigurations/>'), /<tt:SourceToken>vs<\/tt:SourceToken>/);
  assert.match(await ask('<trt:GetVideoEncoderConfigurations/>'), /<trt:Configurations token="vec_main">[\s\S]*<trt:Configurations token="vec_sub">/);
  assert.match(await ask('<trt:GetVideoEncoderConfiguration><trt:ConfigurationToken>vec_sub</trt:ConfigurationToken></trt:GetVideoEncoderConfiguration>'), /<tt:Width>320</);
  assert.match(await ask('<trt:GetVideoEncoderConfigurationOptions/>'), /<tt:ResolutionsAvailable><tt:Width>480<\/tt:Width><tt:Height>270</);
  assert.match(await ask('<tds:GetNetworkInterfaces/>'), /<tt:Address>127.0.0.1<\/tt:Address>/);
  assert.match(await ask('<tds:GetHostname/>'), /<tt:Name>lane-3<\/tt:Name>/);
  assert.match(await ask('<tds:GetUsers/>'), /<tt:Username>admin<\/tt:Username>/);
});

test('the device UUID is derived from the name (or a seed), so a restart keeps the WS-Discovery endpoint', async () => {
  const again = await startCameraSim({ name: 'Lane 3', discoveryPort: null });
  const seeded = await startCameraSim({ name: 'Lane 3', uuidSeed: 'other', discoveryPort: null });
  try {
    assert.equal(again.uuid, sim.uuid);
    assert.notEqual(seeded.uuid, sim.uuid);
    assert.match(sim.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  } finally {
    await Promise.all([again.stop(), seeded.stop()]);
  }
});
