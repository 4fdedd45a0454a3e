import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createVmsAdapter } from './create-vms-adapter.js';
import { buildAlarm } from './testing/alarm-fixture.js';
import { startHttpRecorder, type HttpRecorder, type RecordedRequest, type Reply } from './testing/http-recorder.js';
import { listVmsCameras, proposeCameraMapping } from './vms-cameras.js';

const servers: HttpRecorder[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
const NONCE = '5d1fa7c3b0e1';
const CHALLENGE = { status: 401, headers: { 'WWW-Authenticate': `Digest realm="VMS", nonce="${NONCE}", algorithm=MD5, qop="auth"` }, body: '' };

/** Checks an Authorization: Digest header the way an RFC 7616 server does (qop=auth, MD5). */
function isValidDigest(req: RecordedRequest, user: string, password: string): boolean {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Digest ')) return false;
  const p = Object.fromEntries([...header.matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)].map((m) => [m[1], m[2] ?? m[3]]));
  const ha1 = md5(`${user}:VMS:${password}`);
  const ha2 = md5(`${req.method}:${req.url}`);
  return p.username === user && p.uri === req.url && p.nonce === NONCE && p.qop === 'auth'
    && p.response === md5(`${ha1}:${NONCE}:${p.nc}:${p.cnonce}:auth:${ha2}`);
}

async function nxServer(answer: (req: RecordedRequest) => Reply): Promise<HttpRecorder> {
  const server = await startHttpRecorder((req) => (isValidDigest(req, 'admin', 'Pässword1') ? answer(req) : CHALLENGE));
  servers.push(server);
  return server;
}

const nx = (url: string, extra: Record<string, unknown> = {}) => createVmsAdapter({ adapter: 'nx', url, username: 'admin', password: 'Pässword1', ...extra });
const reply = (body: unknown): Reply => ({ status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

test('Nx legacy: GET /api/createEvent answers the server\'s Digest challenge; {"error":"0"} is delivered', async () => {
  const server = await nxServer(() => reply({ error: '0', errorString: '' }));
  const outcome = await nx(server.url).raise(buildAlarm());
  assert.equal(outcome.status, 'delivered');
  assert.equal(server.requests.length, 2, 'one challenge, one authenticated request');
  assert.equal(server.requests[0]?.headers.authorization, undefined);
  const url = new URL(server.requests[1]?.url ?? '', server.url);
  assert.equal(url.pathname, '/api/createEvent');
  assert.equal(url.searchParams.get('timestamp'), String(Date.parse('2026-12-06T18:04:05.123Z')), 'milliseconds since the epoch: no local-time reading');
  assert.equal(url.searchParams.get('source'), 'Vigil');
  assert.equal(url.searchParams.get('caption'), 'Scan avoidance — lane 3');
  assert.equal(url.searchParams.get('description'), 'Item passed the scanner <unscanned> & bagged\nhttps://hub.example.com/incidents/inc_1?tab=clip&x=1');
  assert.deepEqual(JSON.parse(url.searchParams.get('metadata') ?? ''), { cameraRefs: ['068680ab-5350-4ac7-a47e-652300b16252'] });
});

test('Nx legacy: later alarms answer the known challenge up front (nonce count 2, 3, …); a new nonce is answered once', async () => {
  let nonce = 'n-first';
  const seenCounts: string[] = [];
  const server = await startHttpRecorder((req) => {
    const header = req.headers.authorization ?? '';
    const p = Object.fromEntries([...header.matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)].map((m) => [m[1], m[2] ?? m[3]]));
    const ha1 = md5('admin:VMS:Pässword1');
    const ha2 = md5(`${req.method}:${req.url}`);
    const valid = p.nonce === nonce && p.response === md5(`${ha1}:${nonce}:${p.nc}:${p.cnonce}:auth:${ha2}`) && !seenCounts.includes(`${nonce}/${p.nc}`);
    if (!valid) return { status: 401, headers: { 'WWW-Authenticate': `Digest realm="VMS", nonce="${nonce}", algorithm=MD5, qop="auth"` }, body: '' };
    seenCounts.push(`${nonce}/${p.nc}`);
    return reply({ error: '0', errorString: '' });
  });
  servers.push(server);
  const adapter = nx(server.url);
  for (let i = 0; i < 3; i += 1) assert.equal((await adapter.raise(buildAlarm())).status, 'delivered');
  assert.equal(server.requests.length, 4, 'one challenge, then one request per alarm');
  assert.deepEqual(seenCounts, ['n-first/00000001', 'n-first/00000002', 'n-first/00000003']);
  nonce = 'n-second'; // the server restarted or expired its nonce
  assert.equal((await adapter.raise(buildAlarm())).status, 'delivered');
  assert.equal(server.requests.length, 6, 'the stale answer, then the new challenge answered once');
  assert.deepEqual(seenCounts.at(-1), 'n-second/00000001');
});

test('Nx legacy: a non-zero error is rejected; wrong credentials are a configuration error; 503 is retried', async () => {
  const server = await nxServer(() => reply({ error: '2', errorString: 'Invalid parameter' }));
  const rejected = await nx(server.url).raise(buildAlarm());
  assert.equal(rejected.status, 'rejected');
  assert.match(rejected.status === 'rejected' ? rejected.reason : '', /Nx error 2: Invalid parameter/);
  const wrong = await nx(server.url, { password: 'nope' }).raise(buildAlarm());
  assert.equal(wrong.status === 'rejected' && wrong.isConfigurationError, true);
  const busy = await nx((await nxServer(() => ({ status: 503, body: '' }))).url).raise(buildAlarm());
  assert.equal(busy.status, 'retry');
});

test('Nx REST: a session from POST /rest/v3/login/sessions, then the generic event with the bearer token', async () => {
  const server = await startHttpRecorder((req) => {
    if (req.url === '/rest/v3/login/sessions') return reply({ token: 'vms-abc', username: 'admin' });
    if (req.url === '/rest/v3/events/generic') return req.headers.authorization === 'Bearer vms-abc' ? { status: 200, body: '' } : { status: 401, body: '{}' };
    return { status: 404, body: '' };
  });
  servers.push(server);
  const outcome = await nx(server.url, { api: 'rest' }).raise(buildAlarm());
  assert.equal(outcome.status, 'delivered');
  assert.deepEqual(JSON.parse(server.requests[0]?.body ?? ''), { username: 'admin', password: 'Pässword1' });
  assert.deepEqual(JSON.parse(server.requests[1]?.body ?? ''), {
    timestamp: '2026-12-06T18:04:05.123Z', source: 'Vigil', caption: 'Scan avoidance — lane 3',
    description: 'Item passed the scanner <unscanned> & bagged\nhttps://hub.example.com/incidents/inc_1?tab=clip&x=1',
    state: 'instant', deviceIds: ['068680ab-5350-4ac7-a47e-652300b16252'],
  });
});

test('Nx REST: an expired session is renewed once; a refused login is a configuration error', async () => {
  let sessions = 0;
  const server = await startHttpRecorder((req) => {
    if (req.url === '/rest/v3/login/sessions') return reply({ token: `s${++sessions}` });
    return req.headers.authorization === 'Bearer s2' ? { status: 200, body: '' } : { status: 401, body: '{"error":"3"}' };
  });
  servers.push(server);
  assert.equal((await nx(server.url, { api: 'rest' }).raise(buildAlarm())).status, 'delivered');
  assert.equal(sessions, 2);
  const refusing = await startHttpRecorder(() => ({ status: 401, body: '{"error":"3","errorString":"Wrong password"}' }));
  servers.push(refusing);
  const outcome = await nx(refusing.url, { api: 'rest' }).raise(buildAlarm());
  assert.equal(outcome.status === 'rejected' && outcome.isConfigurationError, true);
});

test('Nx: a server that never answers is retried within the configured timeout', async () => {
  const hung = await startHttpRecorder(() => null);
  servers.push(hung);
  const outcome = await nx(hung.url, { timeoutMs: 150 }).raise(buildAlarm());
  assert.equal(outcome.status, 'retry');
});

test('Nx cameras: /ec2/getCamerasEx behind Digest, then a mapping to plugin cameras by RTSP host', async () => {
  const server = await nxServer((req) => (req.url === '/ec2/getCamerasEx'
    ? reply([
      { id: '{e3e9a385-7fe0-3ba5-5482-a86cde7faf48}', name: 'Lane 3 overview', url: 'http://10.20.0.31:80/onvif/device_service', physicalId: 'AC:CC:8E:00:11:22', mac: 'AC-CC-8E-00-11-22' },
      { id: '{a1b2c3d4-0000-0000-0000-000000000002}', name: 'Exit', url: '10.20.0.40', physicalId: 'x', mac: 'y' },
    ])
    : { status: 404, body: '' }));
  const cameras = await listVmsCameras({ adapter: 'nx', url: server.url, username: 'admin', password: 'Pässword1', api: 'legacy', restVersion: 3, timeoutMs: 3000 });
  assert.deepEqual(cameras.map((c) => c.address), ['10.20.0.31', '10.20.0.40']);
  const mapping = proposeCameraMapping([
    { id: 'cam_examplecamera0001', name: 'till', urls: ['rtsp://vigil:secret@10.20.0.31:554/stream2'] },
    { id: 'cam_examplecamera0002', name: 'exit', urls: ['rtsp://10.99.0.1/s'] },
    { id: 'cam_examplecamera0003', urls: ['rtsp://10.99.0.2/s'] },
  ], cameras);
  assert.deepEqual(mapping, [
    { cameraId: 'cam_examplecamera0001', cameraName: 'till', vms: { id: '{e3e9a385-7fe0-3ba5-5482-a86cde7faf48}', name: 'Lane 3 overview' }, matchedBy: 'host' },
    { cameraId: 'cam_examplecamera0002', cameraName: 'exit', vms: { id: '{a1b2c3d4-0000-0000-0000-000000000002}', name: 'Exit' }, matchedBy: 'name' },
    { cameraId: 'cam_examplecamera0003', cameraName: null, vms: null, matchedBy: null },
  ]);
});

test('Nx over HTTPS: a self-signed certificate is refused as a configuration error unless allowSelfSignedCertificate', { skip: !existsSync('/usr/bin/openssl') && 'needs openssl' }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-nx-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', '/CN=127.0.0.1', '-days', '1'], { stdio: 'ignore' });
    const server = await startHttpRecorder(() => reply({ error: '0' }), { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') });
    servers.push(server);
    const refused = await nx(server.url).raise(buildAlarm());
    assert.equal(refused.status === 'rejected' && refused.isConfigurationError, true);
    assert.match(refused.status === 'rejected' ? refused.reason : '', /certificate/);
    assert.equal((await nx(server.url, { allowSelfSignedCertificate: true }).raise(buildAlarm())).status, 'delivered');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
