import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { NO_SALE, OVERRIDE_AND_MANUAL, posLog } from '../../adapters/pos/poslog-fixtures.js';
import { LanePosHub } from './lane-pos-hub.js';
import { LANE_A, LANE_B, post, posConfig } from './testing/pos-test-kit.js';

const TOKEN = 'test-token-0123456789abcdef';
const NOW = Date.UTC(2026, 10, 24, 12, 0);
let hub: LanePosHub;
let port: number;

before(async () => {
  hub = new LanePosHub(posConfig({
    sources: [{ type: 'http', name: 'receiver', host: '127.0.0.1', port: 0, token: TOKEN, maxBodyBytes: 64 * 1024, timeZone: 'Europe/Berlin' }],
    lanes: [{ workstationId: '3', laneId: LANE_A, offsetMs: 5_000 }, { workstationId: '4', laneId: LANE_B }],
  }), { clock: () => NOW });
  await hub.start();
  const address = hub.health().sources[0]?.address ?? '';
  port = Number(address.slice(address.lastIndexOf(':') + 1));
});
after(() => hub.stop());

const auth = { authorization: `Bearer ${TOKEN}` };
const xml = (body: string, headers: Record<string, string> = auth) => post(port, body, { contentType: 'application/xml', headers });

test('a POSLog sale is accepted with 202 and counts; each line becomes a lane event on the camera clock', async () => {
  const answer = await xml(posLog([{ store: 'S100', workstation: '3', sequence: 42 }]));
  assert.equal(answer.status, 202);
  assert.deepEqual((answer.body as { accepted: unknown }).accepted, { transactions: 1, events: 5, unknownWorkstations: [], rejected: [] });
  const events = hub.drain(LANE_A);
  assert.deepEqual(events.map((e) => e.kind), ['transaction_start', 'sale', 'void', 'tender', 'transaction_end']);
  const begin = Date.parse('2026-11-24T09:15:00Z');
  assert.equal(events[0]?.posTime, begin, '10:15 in Berlin (CET, UTC+1)');
  assert.equal(events[0]?.at, begin - 5_000, 'moved by the lane offset');
  assert.equal(events[4]?.posTime, Date.parse('2026-11-24T09:16:30Z'));
  assert.deepEqual([events[1]?.itemId, events[1]?.quantity, events[1]?.amount, events[1]?.sequenceNumber, events[1]?.operatorId], ['4006381333931', 2, 5, '42', 'op7']);
  assert.equal(events[3]?.description, 'Cash');
  assert.equal(events[4]?.amount, 5);
});

test('no-sale, price override and manual discount become their lane events; unknown registers are reported in the answer', async () => {
  const answer = await xml(posLog([
    { store: 'S1', workstation: '4', sequence: 7, body: NO_SALE },
    { store: 'S1', workstation: '4', sequence: 8, body: OVERRIDE_AND_MANUAL },
    { store: 'S1', workstation: '99', sequence: 9 },
  ]));
  assert.equal(answer.status, 202);
  assert.deepEqual((answer.body as { accepted: unknown }).accepted, { transactions: 3, events: 14, unknownWorkstations: ['99'], rejected: [] });
  assert.deepEqual(hub.drain(LANE_B).map((e) => e.kind), [
    'transaction_start', 'no_sale', 'transaction_end',
    'transaction_start', 'sale', 'price_override', 'sale', 'price_override', 'transaction_end',
  ]);
  assert.equal(hub.health().lanes[1]?.events, 9, 'lane B heard both of its transactions');
  assert.equal(hub.health().sources[0]?.unknownWorkstations['99'], 5);
  assert.equal(hub.health().unknownWorkstations['99'], 5);
});

test('the JSON transaction form is accepted; a transaction with only an end time still yields its events at that time', async () => {
  const body = JSON.stringify({ transactions: [{
    posStoreId: 'S1', workstationId: '3', sequenceNumber: '77', businessDay: '2026-11-24', endAt: '2026-11-24T11:00:00Z',
    kind: 'return', total: -20, lineItems: [{ type: 'return', itemId: '222', amount: -20, quantity: 1 }, { type: 'tender', tenderType: 'Cash', amount: -20 }],
  }] });
  const answer = await post(port, body, { contentType: 'application/json', headers: auth });
  assert.equal(answer.status, 202);
  const events = hub.drain(LANE_A);
  assert.deepEqual(events.map((e) => e.kind), ['transaction_start', 'refund', 'tender', 'transaction_end']);
  assert.ok(events.every((e) => e.posTime === Date.parse('2026-11-24T11:00:00Z')));
});

test('one bad transaction is refused with its position; the rest of the document is taken', async () => {
  const body = JSON.stringify({ transactions: [
    { posStoreId: 'S1', workstationId: '3', sequenceNumber: '80', businessDay: '2026-11-24', endAt: '2026-11-24T11:00:00Z', lineItems: [{ type: 'sale', itemId: '1', amount: 1 }] },
    { posStoreId: 'S1', sequenceNumber: '81', businessDay: '2026-11-24' },
  ] });
  const answer = await post(port, body, { contentType: 'application/json', headers: auth });
  assert.equal(answer.status, 202);
  const accepted = (answer.body as { accepted: { transactions: number; rejected: Array<{ index: number; code: string }> } }).accepted;
  assert.equal(accepted.transactions, 1);
  assert.deepEqual(accepted.rejected.map((r) => [r.index, r.code]), [[2, 'validation_failed']]);
  assert.deepEqual(hub.drain(LANE_A).map((e) => e.kind), ['transaction_start', 'sale', 'transaction_end']);
});

test('bad input gets a clear 4xx JSON error: malformed XML and JSON 400, wrong media type 415, no token 401, wrong path 404, GET 405', async () => {
  const cases = await Promise.all([
    xml('<POSLog><Transaction></POSLog>'),
    post(port, '{"transactions": [', { contentType: 'application/json', headers: auth }),
    post(port, JSON.stringify({ transactions: [{ workstationId: '3' }] }), { contentType: 'application/json', headers: auth }),
    post(port, 'hello', { contentType: 'text/plain', headers: auth }),
    xml(posLog([{ store: 'S1', workstation: '3', sequence: 1 }]), {}),
    xml(posLog([{ store: 'S1', workstation: '3', sequence: 1 }]), { authorization: 'Bearer wrong-token-0123456789ab' }),
    post(port, '', { path: '/other', contentType: 'application/xml', headers: auth }),
    post(port, '', { method: 'GET', headers: auth }),
  ]);
  const summary = cases.map((c) => [c.status, (c.body as { error: { code: string } }).error.code]);
  assert.deepEqual(summary, [
    [400, 'malformed_xml'], [400, 'malformed_json'], [400, 'validation_failed'], [415, 'unsupported_media_type'],
    [401, 'unauthenticated'], [401, 'unauthenticated'], [404, 'not_found'], [405, 'method_not_allowed'],
  ]);
  const first = cases[0]?.body as { error: { message: string; requestId: string } };
  assert.match(first.error.message, /malformed XML at line/);
  assert.match(first.error.requestId, /^[0-9a-f-]{36}$/);
  assert.equal(cases[7]?.headers['allow'], 'POST');
  assert.deepEqual(hub.drain(), []);
});

test('a body over the limit is refused with 413, by Content-Length or while it streams, and the receiver keeps serving', async () => {
  const big = posLog(Array.from({ length: 120 }, (_, i) => ({ store: 'S1', workstation: '3', sequence: i + 1 })));
  assert.ok(Buffer.byteLength(big) > 64 * 1024);
  const declared = await xml(big);
  const streamed = await post(port, big, { contentType: 'application/xml', headers: auth, isChunked: true });
  assert.deepEqual([declared.status, streamed.status], [413, 413]);
  assert.equal((streamed.body as { error: { code: string } }).error.code, 'payload_too_large');
  const ok = await xml(posLog([{ store: 'S1', workstation: '3', sequence: 500 }]));
  assert.equal(ok.status, 202);
  hub.drain();
  const refused = hub.health().sources[0]?.refused ?? {};
  assert.equal(refused['payload_too_large'], 2);
});
