import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createVmsAdapter } from './create-vms-adapter.js';
import { buildAlarm } from './testing/alarm-fixture.js';
import { startHttpRecorder, type Handler, type HttpRecorder } from './testing/http-recorder.js';
import { closedPort, startRawRecorder, type RawRecorder } from './testing/raw-recorder.js';

const servers: Array<HttpRecorder | RawRecorder> = [];
after(() => Promise.all(servers.map((s) => s.close())));

async function xprotect(handler: Handler): Promise<HttpRecorder> {
  const server = await startHttpRecorder(handler);
  servers.push(server);
  return server;
}

const EVENT_TYPE = '0fcb1955-0e80-4fd4-a78a-db47ab89c2c3';
const rest = (url: string) => createVmsAdapter({ adapter: 'milestone-rest', url, username: 'vigil', password: 'pä$$', eventTypeId: EVENT_TYPE });
const json = (status: number, body: unknown) => ({ status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

test('REST events: a password-grant token from the IDP, then POST /api/rest/v1/events with the bearer token; 202 is delivered', async () => {
  const server = await xprotect((req) => {
    if (req.url === '/IDP/connect/token') return json(200, { access_token: 'tok-1', expires_in: 3600, token_type: 'Bearer' });
    if (req.url === '/api/rest/v1/events') return json(202, { data: { id: 'x' } });
    return { status: 404 };
  });
  const outcome = await rest(server.url).raise(buildAlarm());
  assert.equal(outcome.status, 'delivered');
  const [token, event] = server.requests;
  assert.equal(token?.method, 'POST');
  assert.equal(token?.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.deepEqual(Object.fromEntries(new URLSearchParams(token?.body)), { grant_type: 'password', username: 'vigil', password: 'pä$$', client_id: 'GrantValidatorClient' });
  assert.equal(event?.headers.authorization, 'Bearer tok-1');
  assert.deepEqual(JSON.parse(event?.body ?? ''), { type: EVENT_TYPE, source: 'cameras/068680ab-5350-4ac7-a47e-652300b16252', time: '2026-12-06T18:04:05.123Z' });
});

test('REST events: a 401 gets one fresh token and a resend; a second 401 is a configuration error', async () => {
  let tokens = 0;
  let events = 0;
  const server = await xprotect((req) => {
    if (req.url === '/IDP/connect/token') return json(200, { access_token: `tok-${++tokens}`, expires_in: 3600 });
    events++;
    return req.headers.authorization === 'Bearer tok-2' ? json(202, {}) : json(401, { error: 'expired' });
  });
  const adapter = rest(server.url);
  assert.equal((await adapter.raise(buildAlarm())).status, 'delivered');
  assert.deepEqual([tokens, events], [2, 2]);

  const never = await xprotect((req) => (req.url === '/IDP/connect/token' ? json(200, { access_token: 't' }) : json(401, {})));
  const outcome = await rest(never.url).raise(buildAlarm());
  assert.equal(outcome.status === 'rejected' && outcome.isConfigurationError, true);
  assert.equal(never.requests.length, 4);
});

test('REST events: wrong credentials (invalid_grant) are a configuration error; a gateway-only host gets the token at /API/IDP', async () => {
  const refusing = await xprotect(() => json(400, { error: 'invalid_grant' }));
  const outcome = await rest(refusing.url).raise(buildAlarm());
  assert.equal(outcome.status === 'rejected' && outcome.isConfigurationError, true);

  const gateway = await xprotect((req) => {
    if (req.url === '/API/IDP/connect/token') return json(200, { access_token: 'gw' });
    if (req.url === '/api/rest/v1/events') return json(202, {});
    return { status: 404 };
  });
  assert.equal((await rest(gateway.url).raise(buildAlarm())).status, 'delivered');
});

test('generic events: the filled template, ended by CR LF, is written to the data source port', async () => {
  const source = await startRawRecorder(() => null);
  servers.push(source);
  const adapter = createVmsAdapter({ adapter: 'milestone-generic', host: '127.0.0.1', port: source.port });
  const outcome = await adapter.raise(buildAlarm());
  assert.equal(outcome.status, 'delivered');
  const { bytes } = await source.nextTranscript();
  assert.equal(bytes.toString('utf8'), 'Vigil:scan_avoidance:Kasse 3 — Übersicht\r\n');
});

test('generic events: a custom template and terminator; a refused connection is retried', async () => {
  const source = await startRawRecorder(() => null);
  servers.push(source);
  await createVmsAdapter({ adapter: 'milestone-generic', host: '127.0.0.1', port: source.port, template: '{severity}|{cameraId}|{id}', terminator: '' }).raise(buildAlarm());
  assert.equal((await source.nextTranscript()).bytes.toString('utf8'), 'high|068680ab-5350-4ac7-a47e-652300b16252|evt_01HZX3K9Q7ABCDEF12345678');
  const refused = await createVmsAdapter({ adapter: 'milestone-generic', host: '127.0.0.1', port: await closedPort() }).raise(buildAlarm());
  assert.equal(refused.status, 'retry');
});
