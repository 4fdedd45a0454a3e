import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import type { ApiClient } from '../../../test/support/api-client.js';
import { rollUpAllAnalytics } from '../../analytics/index.js';

type Repeat = { by: string; data: Array<{ storeId: string; store: string; key: string | null; label: string | null; transactions: number; exceptions: number }> };

const NO_SALE = '<ControlTransaction><NoSale/></ControlTransaction>';
const PLAIN = '<RetailTransaction><LineItem><Sale><ItemID>1</ItemID><RegularSalesUnitPrice>2.00</RegularSalesUnitPrice><ActualSalesUnitPrice>2.00</ActualSalesUnitPrice><ExtendedAmount>2.00</ExtendedAmount><Quantity>1</Quantity></Sale></LineItem><Total TotalType="TransactionGrandAmount">2.00</Total></RetailTransaction>';
const range = 'from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z';

describe('/v1/analytics/repeat-exceptions', () => {
  let hub: TestHub;
  let store: { id: string; code: string };
  let lane5: string;
  let lane6: string;
  let staff: ApiClient;
  let otherStaff: ApiClient;
  let otherStore: { id: string };

  /** A POSLog transaction of the store (UTC) on a workstation, at a time, by an operator. */
  const transaction = (sequence: number, workstation: string, at: string, operator: string, body: string) =>
    `<Transaction><RetailStoreID>${store.code}</RetailStoreID><WorkstationID>${workstation}</WorkstationID><SequenceNumber>${sequence}</SequenceNumber>
      <BusinessDayDate>${at.slice(0, 10)}</BusinessDayDate><BeginDateTime>${at}</BeginDateTime><EndDateTime>${at}</EndDateTime><OperatorID>${operator}</OperatorID>${body}</Transaction>`;

  before(async () => {
    hub = await startTestHub();
    const region = await hub.admin.post<{ id: string }>('/v1/regions', { name: 'West' });
    store = await hub.admin.post<{ id: string; code: string }>('/v1/stores', { regionId: region.id, name: 'Harbour', code: `H-${Date.now() % 100000}`, timezone: 'UTC' });
    lane5 = (await hub.admin.post<{ id: string }>('/v1/lanes', { storeId: store.id, name: 'Lane 5', posWorkstationId: '5' })).id;
    lane6 = (await hub.admin.post<{ id: string }>('/v1/lanes', { storeId: store.id, name: 'Lane 6', posWorkstationId: '6' })).id;
    for (const laneId of [lane5, lane6]) await hub.createCamera(store.id, { laneId });
    // Lane 5: three no-sales (op1 twice, op2 once) and a plain sale; lane 6: one no-sale by op1. Each no-sale opens (or joins) a POS incident it is linked to.
    const doc = [
      transaction(1, '5', '2026-03-10T10:00:00Z', 'op1', NO_SALE), transaction(2, '5', '2026-03-11T10:00:00Z', 'op1', NO_SALE),
      transaction(3, '5', '2026-03-12T10:00:00Z', 'op2', NO_SALE), transaction(4, '5', '2026-03-12T11:00:00Z', 'op2', PLAIN),
      transaction(5, '6', '2026-03-13T10:30:00Z', 'op1', NO_SALE),
    ].join('');
    const res = await hub.admin.raw('POST', '/v1/pos/transactions', { headers: { 'content-type': 'application/xml' }, body: `<POSLog xmlns="http://www.nrf-arts.org/IXRetail/namespace/">${doc}</POSLog>` });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const summary = res.body as { created: number; linked: number; exceptions: number };
    assert.deepEqual([summary.created, summary.exceptions, summary.linked], [5, 4, 4]);
    await rollUpAllAnalytics(hub.db.knex);
    otherStore = await hub.createStore();
    staff = hub.admin.as(await hub.createToken('store_staff', { storeIds: [store.id] }));
    otherStaff = hub.admin.as(await hub.createToken('store_staff', { storeIds: [otherStore.id] }));
  });
  after(() => hub.stop());

  test('by lane: lanes with at least `min` linked exception transactions, most first, with names', async () => {
    const repeated = await hub.admin.get<Repeat>(`/v1/analytics/repeat-exceptions?${range}`);
    assert.equal(repeated.by, 'lane');
    assert.deepEqual(repeated.data.map((r) => [r.storeId, r.store, r.key, r.label, r.transactions, r.exceptions]), [[store.id, 'Harbour', lane5, 'Lane 5', 3, 3]]);
    const all = await hub.admin.get<Repeat>(`/v1/analytics/repeat-exceptions?${range}&min=1`);
    assert.deepEqual(all.data.map((r) => [r.key, r.transactions]), [[lane5, 3], [lane6, 1]]);
    const top = await hub.admin.get<Repeat>(`/v1/analytics/repeat-exceptions?${range}&min=1&limit=1`);
    assert.deepEqual(top.data.map((r) => r.key), [lane5]);
    const narrow = await hub.admin.get<Repeat>(`/v1/analytics/repeat-exceptions?from=2026-03-11T00:00:00Z&to=2026-03-12T10:00:00Z&min=1`);
    assert.deepEqual(narrow.data.map((r) => [r.key, r.transactions]), [[lane5, 1]], 'hours before `to` only');
  });

  test('by operator: an operator counts across the store\'s lanes', async () => {
    const operators = await hub.admin.get<Repeat>(`/v1/analytics/repeat-exceptions?${range}&by=operator&min=1`);
    assert.deepEqual(operators.data.map((r) => [r.storeId, r.key, r.transactions]), [[store.id, 'op1', 3], [store.id, 'op2', 1]]);
  });

  test('scoped like incidents: the store\'s staff see it, another store\'s staff see nothing and get 404 for its id; CSV has the same rows', async () => {
    assert.deepEqual((await staff.get<Repeat>(`/v1/analytics/repeat-exceptions?${range}`)).data.map((r) => r.key), [lane5]);
    assert.deepEqual((await otherStaff.get<Repeat>(`/v1/analytics/repeat-exceptions?${range}&min=1`)).data, []);
    assert.equal((await otherStaff.raw('GET', `/v1/analytics/repeat-exceptions?${range}&storeId=${store.id}`)).status, 404);
    const csv = await hub.admin.raw('GET', `/v1/analytics/repeat-exceptions?${range}&by=operator&min=1&format=csv`);
    assert.equal(csv.status, 200);
    assert.deepEqual(String(csv.body).trim().split('\r\n'), ['store_id,store,key,label,transactions,exceptions', `${store.id},Harbour,op1,op1,3,3`, `${store.id},Harbour,op2,op2,1,1`]);
    for (const bad of ['by=camera', 'min=0', 'limit=500', 'type=concealment']) assert.equal((await hub.admin.raw('GET', `/v1/analytics/repeat-exceptions?${range}&${bad}`)).status, 400, bad);
  });
});
