import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ApiClient } from '../support/api-client.js';
import { buildEvent } from '../support/factories.js';
import { databaseLabel } from '../support/database.js';
import { startWebhookReceiver, type WebhookReceiver } from '../servers/webhook-receiver.js';
import { FAST, webhookFixture, type WebhookFixture } from '../webhooks/support.js';

const db = databaseLabel();
let fx: WebhookFixture;
let receiver: WebhookReceiver;
let plugin: ApiClient;
let store: { id: string; code: string };
let laneId: string;
let cameraId: string;

interface Summary { received: number; created: number; exceptions: number; linked: number; incidentsCreated: number; rejected: number; errors: Array<{ index: number; sequenceNumber?: string; code: string; message: string }> }
interface Tx { id: string; beginAt: string | null; endAt: string | null; isBeginInferred: boolean; timeZone: string | null; exceptions: string[]; incidentIds: string[]; lines: unknown[]; sequenceNumber: string }
interface IncidentPos { transactionId: string; sequenceNumber: string; reason: string; exceptions: string[]; lines: unknown[]; beginAt: string; workstationId: string }

const PLAIN = '<RetailTransaction><LineItem><Sale><ItemID>1</ItemID><RegularSalesUnitPrice>2.00</RegularSalesUnitPrice><ActualSalesUnitPrice>2.00</ActualSalesUnitPrice><ExtendedAmount>2.00</ExtendedAmount><Quantity>1</Quantity></Sale></LineItem><Total TotalType="TransactionGrandAmount">2.00</Total></RetailTransaction>';
const NO_SALE = '<ControlTransaction><NoSale/></ControlTransaction>';

/** One POSLog transaction of the NY store's lane 5 at local `begin`..`end` (offset-less, store time). */
function nyTransaction(sequence: number, begin: string | null, end: string, body = PLAIN, workstation = '5'): string {
  return `<Transaction><RetailStoreID>${store.code}</RetailStoreID>${workstation ? `<WorkstationID>${workstation}</WorkstationID>` : ''}<SequenceNumber>${sequence}</SequenceNumber>
    <BusinessDayDate>${end.slice(0, 10)}</BusinessDayDate>${begin ? `<BeginDateTime>${begin}</BeginDateTime>` : ''}<EndDateTime>${end}</EndDateTime><OperatorID>op9</OperatorID>${body}</Transaction>`;
}
const doc = (...transactions: string[]) => `<POSLog xmlns="http://www.nrf-arts.org/IXRetail/namespace/">${transactions.join('')}</POSLog>`;

async function postXml(body: string, expected = 200): Promise<Summary> {
  const res = await fetch(`${fx.hub.url}/v1/pos/transactions`, { method: 'POST', headers: { authorization: `Bearer ${fx.hub.adminToken}`, 'content-type': 'application/xml' }, body });
  const json = (await res.json()) as Summary;
  assert.equal(res.status, expected, JSON.stringify(json));
  return json;
}

async function bySequence(sequence: number): Promise<Tx> {
  const page = await fx.hub.admin.get<{ data: Tx[] }>(`/v1/pos/transactions?storeId=${store.id}&limit=200`);
  const row = page.data.find((t) => t.sequenceNumber === String(sequence));
  assert.ok(row, `transaction ${sequence} is listed`);
  return fx.hub.admin.get<Tx>(`/v1/pos/transactions/${row.id}`);
}

async function raiseVideo(occurredAt: string): Promise<string> {
  const event = buildEvent({ cameraId, storeId: store.id, laneId, occurredAt, type: 'scan_avoidance' } as Parameters<typeof buildEvent>[0]);
  const result = await plugin.post<{ results: Array<{ incidentId?: string }> }>('/v1/events', { events: [event] }, 200);
  const id = result.results[0]?.incidentId;
  assert.ok(id, JSON.stringify(result));
  return id;
}

const incidentPos = async (id: string) => (await fx.hub.admin.get<{ pos: IncidentPos[]; type: string; laneId: string }>(`/v1/incidents/${id}`));

before(async () => {
  fx = await webhookFixture();
  receiver = await startWebhookReceiver();
  fx.startWorker(FAST);
  const region = await fx.hub.createRegion('East');
  store = await fx.hub.admin.post<{ id: string; code: string }>('/v1/stores', { regionId: region.id, name: 'Manhattan', code: `NY-${Date.now() % 100000}`, timezone: 'America/New_York', settings: { mergeWindowSeconds: 0 } });
  laneId = (await fx.hub.admin.post<{ id: string }>('/v1/lanes', { storeId: store.id, name: 'Lane 5', posWorkstationId: '5' })).id;
  cameraId = (await fx.hub.createCamera(store.id, { laneId })).id;
  plugin = fx.hub.admin.as(await fx.hub.createPluginToken([store.id]));
});
after(async () => {
  await receiver.close();
  await fx.stop();
});

test(`[${db}] a New York store's offset-less POS times are read in its zone (DST-correct); an end-only transaction begins at its end, flagged`, async () => {
  const summary = await postXml(doc(nyTransaction(1, '2026-03-10T14:00:00', '2026-03-10T14:01:30'), nyTransaction(2, '2026-01-10T14:00:00', '2026-01-10T14:01:00'), nyTransaction(3, null, '2026-03-10T15:00:00')));
  assert.deepEqual([summary.created, summary.rejected], [3, 0]);
  const summer = await bySequence(1);
  assert.deepEqual([summer.beginAt, summer.endAt, summer.timeZone, summer.isBeginInferred], ['2026-03-10T18:00:00.000Z', '2026-03-10T18:01:30.000Z', 'America/New_York', false]);
  assert.equal((await bySequence(2)).beginAt, '2026-01-10T19:00:00.000Z');
  const endOnly = await bySequence(3);
  assert.deepEqual([endOnly.beginAt, endOnly.endAt, endOnly.isBeginInferred], ['2026-03-10T19:00:00.000Z', '2026-03-10T19:00:00.000Z', true]);
  const window = await fx.hub.admin.get<{ data: Tx[] }>(`/v1/pos/transactions?laneId=${laneId}&from=2026-03-10T18:59:00Z&to=2026-03-10T19:01:00Z`);
  assert.deepEqual(window.data.map((t) => t.sequenceNumber), ['3'], 'the end-only transaction is found by lane and time');
});

test(`[${db}] a POSLog export with a transaction missing its WorkstationID in the middle stores the rest and lists the bad one by position`, async () => {
  const summary = await postXml(doc(nyTransaction(11, '2026-03-11T10:00:00', '2026-03-11T10:01:00'), nyTransaction(12, '2026-03-11T10:02:00', '2026-03-11T10:03:00', PLAIN, ''), nyTransaction(13, '2026-03-11T10:04:00', '2026-03-11T10:05:00')));
  assert.deepEqual([summary.received, summary.created, summary.rejected], [3, 2, 1]);
  assert.equal(summary.errors.length, 1);
  assert.deepEqual([summary.errors[0]?.index, summary.errors[0]?.sequenceNumber, summary.errors[0]?.code], [2, '12', 'validation_failed']);
  assert.match(summary.errors[0]?.message ?? '', /workstationId/);
  await bySequence(13);
  const res = await fetch(`${fx.hub.url}/v1/pos/transactions`, { method: 'POST', headers: { authorization: `Bearer ${fx.hub.adminToken}`, 'content-type': 'application/xml' }, body: 'this is not XML' });
  assert.equal(res.status, 400, 'a document that is not XML at all is still refused whole');
});

test(`[${db}] video first: a POS transaction on the lane within the window is linked to the incident, both ways round`, async () => {
  const incidentId = await raiseVideo('2026-03-12T18:00:30.000Z');
  const summary = await postXml(doc(nyTransaction(21, '2026-03-12T14:00:00', '2026-03-12T14:01:00'), nyTransaction(22, '2026-03-12T14:10:00', '2026-03-12T14:11:00')));
  assert.deepEqual([summary.created, summary.linked, summary.incidentsCreated], [2, 1, 0]);
  const linked = await bySequence(21);
  assert.deepEqual(linked.incidentIds, [incidentId]);
  assert.ok(linked.lines.length > 0);
  assert.deepEqual((await bySequence(22)).incidentIds, [], '10 minutes later is outside the 120 s window');
  const incident = await incidentPos(incidentId);
  assert.deepEqual(incident.pos.map((p) => [p.transactionId, p.workstationId, p.sequenceNumber, p.beginAt, p.reason]), [[linked.id, '5', '21', '2026-03-12T18:00:00.000Z', 'same_lane_window']]);
  assert.ok((incident.pos[0]?.lines.length ?? 0) > 0);
});

test(`[${db}] POS first: a video incident arriving later on the lane within the window is linked to the transaction`, async () => {
  await postXml(doc(nyTransaction(31, '2026-03-13T09:00:00', '2026-03-13T09:02:00')));
  const early = await bySequence(31);
  assert.deepEqual(early.incidentIds, []);
  const incidentId = await raiseVideo('2026-03-13T13:03:30.000Z');
  assert.deepEqual((await bySequence(31)).incidentIds, [incidentId], 'the event 90 s after the end is inside the window');
  assert.deepEqual((await incidentPos(incidentId)).pos.map((p) => p.sequenceNumber), ['31']);
  const far = await raiseVideo('2026-03-13T13:30:00.000Z');
  assert.deepEqual((await incidentPos(far)).pos, []);
});

test(`[${db}] a POS exception without video opens a pos_exception incident of its lane; the next one joins it; the pos.exception message carries time, place, incident and a link`, async () => {
  const endpoint = await fx.createEndpoint({ url: receiver.url, eventTypes: ['pos.exception'], fullPayload: true });
  try {
    const from = receiver.received.length;
    const first = await postXml(doc(nyTransaction(41, '2026-03-14T11:00:00', '2026-03-14T11:00:20', NO_SALE)));
    assert.deepEqual([first.exceptions, first.incidentsCreated, first.linked], [1, 1, 1]);
    const tx = await bySequence(41);
    assert.equal(tx.incidentIds.length, 1);
    const [incidentId = ''] = tx.incidentIds;
    const incident = await incidentPos(incidentId);
    assert.deepEqual([incident.type, incident.laneId], ['pos_exception', laneId]);
    assert.deepEqual(incident.pos.map((p) => [p.sequenceNumber, p.reason, p.exceptions]), [['41', 'pos_only', ['no_sale']]]);
    const second = await postXml(doc(nyTransaction(42, '2026-03-14T11:01:00', '2026-03-14T11:01:10', NO_SALE)));
    assert.deepEqual([second.incidentsCreated, second.linked], [0, 1]);
    assert.deepEqual((await bySequence(42)).incidentIds, [incidentId], 'joins the open incident of its lane');
    await receiver.waitFor(from + 2);
    const messages = receiver.received.slice(from).map((d) => JSON.parse(d.body) as { type: string; data: Record<string, unknown> });
    const data = messages.find((m) => m.data.sequenceNumber === '41')?.data;
    assert.ok(data);
    assert.deepEqual(
      [data.beginAt, data.endAt, data.workstationId, data.operatorId, data.exceptions, data.storeId, data.laneId, data.incidentId],
      ['2026-03-14T15:00:00.000Z', '2026-03-14T15:00:20.000Z', '5', 'op9', ['no_sale'], store.id, laneId, incidentId],
    );
    assert.deepEqual(data.links, { self: `https://vigil.example/v1/pos/transactions/${tx.id}`, incident: `https://vigil.example/v1/incidents/${incidentId}` });
  } finally {
    await fx.hub.admin.patch(`/v1/webhooks/${endpoint.id}`, { enabled: false });
  }
});

test(`[${db}] the read API: filters, exceptions only, another tenant's id and another store's staff get 404, a bad query 400`, async () => {
  await postXml(doc(nyTransaction(51, '2026-03-15T10:00:00', '2026-03-15T10:01:00', NO_SALE), nyTransaction(52, '2026-03-15T10:05:00', '2026-03-15T10:06:00')));
  const exceptional = await fx.hub.admin.get<{ data: Tx[] }>(`/v1/pos/transactions?storeId=${store.id}&from=2026-03-15T00:00:00Z&to=2026-03-16T00:00:00Z&exception=true`);
  assert.deepEqual(exceptional.data.map((t) => t.sequenceNumber), ['51']);
  const plain = await fx.hub.admin.get<{ data: Tx[] }>(`/v1/pos/transactions?storeId=${store.id}&from=2026-03-15T00:00:00Z&to=2026-03-16T00:00:00Z&exception=false`);
  assert.deepEqual(plain.data.map((t) => t.sequenceNumber), ['52']);
  const pageOne = await fx.hub.admin.get<{ data: Tx[]; nextCursor: string | null }>(`/v1/pos/transactions?storeId=${store.id}&limit=1`);
  assert.equal(pageOne.data.length, 1);
  assert.ok(pageOne.nextCursor);
  const pageTwo = await fx.hub.admin.get<{ data: Tx[] }>(`/v1/pos/transactions?storeId=${store.id}&limit=1&cursor=${pageOne.nextCursor}`);
  assert.notEqual(pageTwo.data[0]?.id, pageOne.data[0]?.id);
  const tx = await bySequence(51);
  const other = await fx.hub.createTenant();
  await other.admin.get(`/v1/pos/transactions/${tx.id}`, 404);
  assert.deepEqual((await other.admin.get<{ data: Tx[] }>('/v1/pos/transactions')).data, []);
  const elsewhere = await fx.hub.createStore();
  const staff = fx.hub.admin.as(await fx.hub.createToken('store_staff', { storeIds: [elsewhere.id] }));
  await staff.get(`/v1/pos/transactions/${tx.id}`, 404);
  assert.deepEqual((await staff.get<{ data: Tx[] }>(`/v1/pos/transactions?storeId=${store.id}`)).data, []);
  const own = fx.hub.admin.as(await fx.hub.createToken('store_staff', { storeIds: [store.id] }));
  await own.get(`/v1/pos/transactions/${tx.id}`, 200);
  for (const query of ['from=yesterday', 'exception=maybe', 'storeId=nope', 'limit=0', 'from=2026-03-16T00:00:00Z&to=2026-03-15T00:00:00Z', 'colour=red']) {
    const body = await fx.hub.admin.get<{ error: { code: string } }>(`/v1/pos/transactions?${query}`, 400);
    assert.equal(body.error.code, 'validation_failed', query);
  }
  await fx.hub.admin.get('/v1/pos/transactions/not-an-id', 400);
  const openapi = await fx.hub.admin.get<{ paths: Record<string, Record<string, { operationId: string }>> }>('/v1/openapi.json');
  assert.equal(openapi.paths['/v1/pos/transactions']?.get?.operationId, 'listPosTransactions');
  assert.equal(openapi.paths['/v1/pos/transactions/{id}']?.get?.operationId, 'getPosTransaction');
});

test(`[${db}] an incident's POS transactions leave out the operator id when the caller's rules hide it on incidents`, async () => {
  await postXml(doc(nyTransaction(61, '2026-03-16T12:00:00', '2026-03-16T12:00:30', NO_SALE)));
  const [incidentId = ''] = (await bySequence(61)).incidentIds;
  assert.equal((await incidentPos(incidentId)).pos[0]?.sequenceNumber, '61');
  const reviewer = fx.hub.admin.as(await fx.hub.createToken('central_reviewer'));
  assert.equal((await reviewer.get<{ pos: Array<Record<string, unknown>> }>(`/v1/incidents/${incidentId}`)).pos[0]?.operatorId, 'op9');
  await fx.hub.admin.call('PUT', '/v1/policies/central_reviewer', 200, { mode: 'extend', reason: 'hide cashiers', rules: [{ action: 'read', subject: 'Incident', fields: ['operatorId'], inverted: true }] });
  const hidden = await reviewer.get<{ pos: Array<Record<string, unknown>> }>(`/v1/incidents/${incidentId}`);
  assert.equal(hidden.pos[0]?.sequenceNumber, '61');
  assert.equal('operatorId' in (hidden.pos[0] ?? {}), false);
});
