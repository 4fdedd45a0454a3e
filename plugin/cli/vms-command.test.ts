import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { z } from 'zod';
import { startHttpRecorder, type HttpRecorder } from '../../adapters/vms/testing/http-recorder.js';
import { completeHttpBody, httpAnswer, startRawRecorder, type RawRecorder } from '../../adapters/vms/testing/raw-recorder.js';

const VIGIL = fileURLToPath(new URL('../../bin/vigil.mjs', import.meta.url));

function vigil(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [VIGIL, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

const outcomeSchema = z.object({ adapter: z.string(), status: z.enum(['delivered', 'retry', 'rejected']), isConfigurationError: z.boolean().optional() });
const servers: Array<RawRecorder | HttpRecorder> = [];
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-vms-cli-'));
});
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

async function eventServer(body: string): Promise<RawRecorder> {
  const server = await startRawRecorder((received) => (completeHttpBody(received) ? httpAnswer(200, 'OK', body) : null));
  servers.push(server);
  return server;
}

test('vigil vms test-alarm --adapter milestone sends one analytics event and exits 0 on delivery', async () => {
  const server = await eventServer('');
  const run = await vigil(['vms', 'test-alarm', '--adapter', 'milestone', '--target', `127.0.0.1:${server.port}`, '--camera', 'Kasse 3 — Übersicht', '--event-message', 'Vigil test', '--json']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(outcomeSchema.parse(JSON.parse(run.stdout)).status, 'delivered');
  const text = (await server.nextTranscript()).bytes.toString('utf8');
  assert.match(text, /^POST \/ HTTP\/1\.1\r\n/);
  assert.match(text, /<Message>Vigil test<\/Message>/);
  assert.match(text, /<Source><Name>Kasse 3 — Übersicht<\/Name><\/Source>/);
});

test('vigil vms test-alarm prints the VMS\'s refusal and exits 1 when the event is not defined in the Management Client', async () => {
  const server = await eventServer('Warning: Event message not known');
  const run = await vigil(['vms', 'test-alarm', '--adapter', 'milestone', '--target', `127.0.0.1:${server.port}`]);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /^rejected: HTTP 200 OK: Warning: Event message not known .*docs\/vms/);
});

test('vigil vms test-alarm --adapter nx answers the Digest challenge of a local receiver', async () => {
  const server = await startHttpRecorder((req) => (req.headers.authorization?.startsWith('Digest ')
    ? { status: 200, body: '{"error":"0","errorString":""}' }
    : { status: 401, headers: { 'WWW-Authenticate': 'Digest realm="VMS", nonce="abc", algorithm=MD5' }, body: '' }));
  servers.push(server);
  const run = await vigil(['vms', 'test-alarm', '--adapter', 'nx', '--target', server.url, '--user', 'admin', '--password', 'pw', '--camera-id', '{e3e9a385-7fe0-3ba5-5482-a86cde7faf48}', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const url = new URL(server.requests[1]?.url ?? '', server.url);
  assert.equal(url.pathname, '/api/createEvent');
  assert.equal(url.searchParams.get('caption'), 'Vigil test alarm');
  assert.deepEqual(JSON.parse(url.searchParams.get('metadata') ?? ''), { cameraRefs: ['{e3e9a385-7fe0-3ba5-5482-a86cde7faf48}'] });
});

test('vigil vms cameras --config proposes a mapping of the plugin\'s cameras by RTSP host', async () => {
  const server = await startHttpRecorder((req) => (req.url === '/ec2/getCamerasEx'
    ? { status: 200, body: JSON.stringify([{ id: '{e3e9a385-7fe0-3ba5-5482-a86cde7faf48}', name: 'Lane 3', url: 'http://10.20.0.31/onvif/device_service', physicalId: 'p', mac: 'm' }]) }
    : { status: 404, body: '' }));
  servers.push(server);
  const config = join(dir, 'plugin.yaml');
  await writeFile(config, 'cameras:\n  - id: cam_examplecamera0001\n    name: lane 3 overview\n    analysisUrl: rtsp://vigil:secret@10.20.0.31:554/stream2\n');
  const run = await vigil(['vms', 'cameras', '--adapter', 'nx', '--target', server.url, '--user', 'admin', '--password', 'pw', '--config', config, '--json']);
  assert.equal(run.code, 0, run.stderr);
  const report = z.object({ mapping: z.array(z.object({ cameraId: z.string(), cameraName: z.string().nullable(), vms: z.object({ id: z.string(), name: z.string() }).nullable(), matchedBy: z.string().nullable() })) }).parse(JSON.parse(run.stdout));
  assert.deepEqual(report.mapping, [{ cameraId: 'cam_examplecamera0001', cameraName: 'lane 3 overview', vms: { id: '{e3e9a385-7fe0-3ba5-5482-a86cde7faf48}', name: 'Lane 3' }, matchedBy: 'host' }]);
});

test('vigil vms test-alarm refuses incomplete options with a clear message', async () => {
  const run = await vigil(['vms', 'test-alarm', '--adapter', 'genetec', '--target', 'http://127.0.0.1:9/WebSdk', '--user', 'u']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /bad_request: --adapter genetec needs --application-id/);
});
