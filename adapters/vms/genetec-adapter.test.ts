import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createVmsAdapter } from './create-vms-adapter.js';
import { buildAlarm } from './testing/alarm-fixture.js';
import { startHttpRecorder, type Handler, type HttpRecorder } from './testing/http-recorder.js';
import { listVmsCameras } from './vms-cameras.js';

const servers: HttpRecorder[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

async function webSdk(handler: Handler): Promise<HttpRecorder> {
  const server = await startHttpRecorder(handler);
  servers.push(server);
  return server;
}

const OK = { status: 200, headers: { 'Content-Type': 'text/json' }, body: JSON.stringify({ Rsp: { Status: 'Ok' } }) };
const genetec = (url: string, extra: Record<string, unknown> = {}) =>
  createVmsAdapter({ adapter: 'genetec', url: `${url}/WebSdk`, username: 'vigil', password: 'secret', applicationId: 'KxsD11z743Hf5Gq9mv3+5ekxzemlCiUXkTFY5ba1NOGcLCmGstt2n0zYE9NsNimv', customEventId: 8001, ...extra });

test('Genetec: the custom event is raised on the camera entity, then a bookmark with the incident link; Basic auth as user;applicationId', async () => {
  const server = await webSdk(() => OK);
  const outcome = await genetec(server.url).raise(buildAlarm());
  assert.deepEqual(outcome, { status: 'delivered', detail: 'custom event raised, bookmark added' });
  const [raise, bookmark] = server.requests;
  const expected = `Basic ${Buffer.from('vigil;KxsD11z743Hf5Gq9mv3+5ekxzemlCiUXkTFY5ba1NOGcLCmGstt2n0zYE9NsNimv:secret').toString('base64')}`;
  assert.equal(raise?.headers.authorization, expected);
  assert.equal(raise?.headers.accept, 'text/json');
  assert.equal(raise?.method, 'POST');
  // The custom event helper of the Web SDK: /events/RaiseCustomEvent/{customEventId}/{entityId}?msg={message}, GUID without dashes.
  const raiseUrl = new URL(raise?.url ?? '', server.url);
  assert.equal(raiseUrl.pathname, '/WebSdk/events/RaiseCustomEvent/8001/068680ab53504ac7a47e652300b16252');
  assert.equal(raiseUrl.searchParams.get('msg'), 'Scan avoidance — lane 3 — Item passed the scanner <unscanned> & bagged — https://hub.example.com/incidents/inc_1?tab=clip&x=1');
  assert.equal(bookmark?.method, 'POST');
  const bookmarkUrl = new URL(bookmark?.url ?? '', server.url);
  assert.equal(bookmarkUrl.pathname, '/WebSdk/action');
  const q = decodeURIComponent(bookmarkUrl.search.slice('?q='.length));
  assert.equal(q, 'AddCameraBookmark(068680ab53504ac7a47e652300b16252,2026-12-06T18:04:05.123Z,Scan avoidance — lane 3 — Item passed the scanner <unscanned> & bagged — https://hub.example.com/incidents/inc_1?tab=clip&x=1)');
  assert.doesNotMatch(bookmarkUrl.search.slice('?q='.length), /[ &]/, 'the bookmark text is percent-encoded inside q=');
});

test('Genetec: an XML <rsp status="fail"> is a configuration error; XML ok is delivered; 500 is retried; 401 is a configuration error', async () => {
  const failing = await webSdk(() => ({ status: 200, headers: { 'Content-Type': 'text/xml' }, body: '<rsp status="fail"><error>Unknown custom event</error></rsp>' }));
  const rejected = await genetec(failing.url).raise(buildAlarm());
  assert.equal(rejected.status === 'rejected' && rejected.isConfigurationError, true);
  assert.match(rejected.status === 'rejected' ? rejected.reason : '', /Unknown custom event/);
  assert.equal(failing.requests.length, 1, 'no bookmark after a failed event');

  const xmlOk = await webSdk(() => ({ status: 200, headers: { 'Content-Type': 'text/xml' }, body: '<?xml version="1.0"?><Rsp Status="Ok"></Rsp>' }));
  assert.equal((await genetec(xmlOk.url, { addBookmark: false }).raise(buildAlarm())).status, 'delivered');
  assert.equal(xmlOk.requests.length, 1);

  assert.equal((await genetec((await webSdk(() => ({ status: 500, body: 'busy' }))).url).raise(buildAlarm())).status, 'retry');
  const unauthorised = await genetec((await webSdk(() => ({ status: 401, body: '' }))).url).raise(buildAlarm());
  assert.equal(unauthorised.status === 'rejected' && unauthorised.isConfigurationError, true);
});

test('Genetec: a bookmark failure after the event still counts as delivered, with the reason in the detail', async () => {
  const server = await webSdk((req) => (req.url.includes('AddCameraBookmark') ? { status: 200, body: JSON.stringify({ Rsp: { Status: 'Fail', Result: 'no privilege' } }) } : OK));
  const outcome = await genetec(server.url).raise(buildAlarm());
  assert.equal(outcome.status, 'delivered');
  assert.match(outcome.status === 'delivered' ? outcome.detail ?? '' : '', /bookmark failed: .*no privilege/);
});

test('Genetec: a camera without a Genetec GUID is a configuration error and nothing is sent', async () => {
  const server = await webSdk(() => OK);
  const outcome = await genetec(server.url).raise(buildAlarm({ camera: { id: 'cam_examplecamera0003', name: 'door', vms: {} } }));
  assert.equal(outcome.status === 'rejected' && outcome.isConfigurationError, true);
  assert.equal(server.requests.length, 0);
});

test('Genetec: cameras are listed from an EntityConfiguration report and named from /entity', async () => {
  const server = await webSdk((req) => {
    if (req.url.startsWith('/WebSdk/report/EntityConfiguration?q=EntityTypes@Camera')) {
      return { status: 200, body: JSON.stringify({ Rsp: { Status: 'Ok', Result: [{ Guid: '00000001-0000-babe-0000-2b2fbe79920b' }, { Guid: '00000001-0000-babe-0000-df7434997b3b' }] } }) };
    }
    if (req.url.startsWith('/WebSdk/entity?q=')) return { status: 200, body: JSON.stringify({ Rsp: { Status: 'Ok', Result: [{ Name: 'Lane 3' }, { Name: 'Exit' }] } }) };
    return { status: 404 };
  });
  const cameras = await listVmsCameras({ adapter: 'genetec', url: `${server.url}/WebSdk`, username: 'u', password: 'p', applicationId: 'app', timeoutMs: 3000 });
  assert.deepEqual(cameras.map((c) => [c.id, c.name]), [['00000001-0000-babe-0000-2b2fbe79920b', 'Lane 3'], ['00000001-0000-babe-0000-df7434997b3b', 'Exit']]);
  assert.equal(new URL(server.requests[1]?.url ?? '', server.url).search, '?q=entity=000000010000babe00002b2fbe79920b,Name,entity=000000010000babe0000df7434997b3b,Name');
});
