import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectExceptions, parsePosDocument, parsePosLog, posTransactionSchema } from './index.js';
import { posLog } from './poslog-fixtures.js';

const sale = (item: string, price: string, voided = false, extra = '') =>
  `<LineItem${voided ? ' VoidFlag="true"' : ''}><Sale><ItemID>${item}</ItemID><RegularSalesUnitPrice>${price}</RegularSalesUnitPrice><ActualSalesUnitPrice>${price}</ActualSalesUnitPrice><ExtendedAmount>${price}</ExtendedAmount><Quantity>1</Quantity></Sale>${extra}</LineItem>`;
const retail = (lines: string, extra = '') => `<RetailTransaction>${lines}${extra}<Total TotalType="TransactionGrandAmount">1.00</Total></RetailTransaction>`;
const one = (body: string) => {
  const [tx] = parsePosLog(posLog([{ store: 'S1', workstation: '1', sequence: 1, body }])).transactions;
  assert.ok(tx);
  return tx;
};

test('a voided line is a line_void; 3 voided lines or 50.00 voided in one transaction also raise void_threshold', () => {
  assert.deepEqual(detectExceptions(one(retail(sale('1', '2.00') + sale('2', '3.00', true)))), ['line_void']);
  assert.deepEqual(detectExceptions(one(retail(sale('1', '2.00', true) + sale('2', '3.00', true) + sale('3', '1.00', true)))), ['line_void', 'void_threshold']);
  assert.deepEqual(detectExceptions(one(retail(sale('1', '49.99', true)))), ['line_void']);
  assert.deepEqual(detectExceptions(one(retail(sale('1', '50.00', true)))), ['line_void', 'void_threshold']);
  const twoVoids = one(retail(sale('1', '2.00', true) + sale('2', '3.00', true)));
  assert.deepEqual(detectExceptions(twoVoids, { voidCountThreshold: 2, voidAmountThreshold: 1000 }), ['line_void', 'void_threshold'], 'thresholds are configurable');
  const postVoid = one(`<RetailTransaction TransactionStatus="PostVoided">${sale('1', '60.00', true)}</RetailTransaction>`);
  assert.deepEqual(detectExceptions(postVoid), ['post_void'], 'the lines of a post-voided receipt are not line voids');
});

test('a supervisor override in POSLog: a SupervisorOverride or ApprovalOverride element, on a line or the transaction, or a supervisor reason code', () => {
  const onLine = one(retail(sale('1', '2.00', false, '<SupervisorOverride><SupervisorID>mgr1</SupervisorID></SupervisorOverride>')));
  assert.equal(onLine.lineItems[0]?.isSupervisorOverride, true);
  assert.deepEqual(detectExceptions(onLine), ['supervisor_override']);
  const onTransaction = one(retail(sale('1', '2.00'), '<ApprovalOverride><ApproverID>mgr2</ApproverID></ApprovalOverride>'));
  assert.equal(onTransaction.isSupervisorOverride, true);
  assert.deepEqual(detectExceptions(onTransaction), ['supervisor_override']);
  const reason = one(retail(sale('1', '2.00', false, '<ReasonCode>SUPERVISOR_APPROVED</ReasonCode>')));
  assert.deepEqual(detectExceptions(reason), ['supervisor_override']);
  const prefixed = parsePosLog(posLog([{ store: 'S1', workstation: '1', sequence: 2, body: '<arts:ControlTransaction><arts:NoSale/><arts:SupervisorOverride/></arts:ControlTransaction>' }], { prefix: 'arts' })).transactions[0];
  assert.ok(prefixed);
  assert.deepEqual(detectExceptions(prefixed), ['no_sale', 'supervisor_override']);
  assert.deepEqual(detectExceptions(one(retail(sale('1', '2.00')))), [], 'a plain sale has none');
});

test('the JSON form: a supervisor flag on a line or the transaction, and a price override inferred from the prices as in POSLog', () => {
  const json = (lines: unknown[], extra: Record<string, unknown> = {}) => {
    const doc = parsePosDocument('json', JSON.stringify({ transactions: [{ posStoreId: 'S1', workstationId: '1', sequenceNumber: '1', businessDay: '2026-11-24', lineItems: lines, ...extra }] }));
    const [tx] = doc.transactions;
    assert.ok(tx, JSON.stringify(doc.rejected));
    return detectExceptions(tx);
  };
  assert.deepEqual(json([{ type: 'sale', regularPrice: 10, actualPrice: 4, amount: 4 }]), ['price_override'], 'no isPriceOverride flag needed');
  assert.deepEqual(json([{ type: 'sale', regularPrice: 10, actualPrice: 4, isPriceModified: true }]), [], 'a price modifier explains it');
  assert.deepEqual(json([{ type: 'sale', regularPrice: 8, actualPrice: 6, isManualDiscount: true }]), ['manual_discount']);
  assert.deepEqual(json([{ type: 'sale', regularPrice: 10, actualPrice: 10, isSupervisorOverride: true }]), ['supervisor_override']);
  assert.deepEqual(json([{ type: 'sale', regularPrice: 10, actualPrice: 10 }], { isSupervisorOverride: true }), ['supervisor_override']);
  assert.deepEqual(json([{ type: 'sale', amount: 30, isVoided: true }, { type: 'sale', amount: 25, isVoided: true }]), ['line_void', 'void_threshold']);
  // The same line in POSLog: 10.00 regular, 4.00 actual, no RetailPriceModifier.
  const xml = one(retail('<LineItem><Sale><ItemID>3</ItemID><RegularSalesUnitPrice>10.00</RegularSalesUnitPrice><ActualSalesUnitPrice>4.00</ActualSalesUnitPrice></Sale></LineItem>'));
  assert.deepEqual(detectExceptions(xml), ['price_override']);
  assert.deepEqual(detectExceptions(posTransactionSchema.parse({ ...xml, lineItems: xml.lineItems.map((l) => ({ ...l, isPriceOverride: false })) })), ['price_override'], 'inferred, not read from the flag');
});

test('an end-time-only transaction (NCR) keeps its end, has no begin, and takes its business day from the end when none is given', () => {
  const doc = `<POSLog xmlns="http://www.nrf-arts.org/IXRetail/namespace/"><Transaction><RetailStoreID>S1</RetailStoreID><WorkstationID>4</WorkstationID>
    <SequenceNumber>77</SequenceNumber><EndDateTime>2026-03-10T14:02:00</EndDateTime>${retail(sale('1', '2.00'))}</Transaction></POSLog>`;
  const [tx] = parsePosLog(doc).transactions;
  assert.deepEqual([tx?.beginAt, tx?.endAt, tx?.businessDay], [null, '2026-03-10T14:02:00', '2026-03-10']);
});

test('a POSLog export with one transaction missing its WorkstationID keeps the others and names the bad one by position', () => {
  const doc = posLog([{ store: 'S1', workstation: '1', sequence: 1 }, { store: 'S1', workstation: '', sequence: 2 }, { store: 'S1', workstation: '1', sequence: 3 }]).replace('<WorkstationID></WorkstationID>', '');
  const { transactions, rejected } = parsePosLog(doc);
  assert.deepEqual(transactions.map((t) => t.sequenceNumber), ['1', '3']);
  assert.equal(rejected.length, 1);
  assert.equal(rejected[0]?.index, 2);
  assert.equal(rejected[0]?.sequenceNumber, '2');
  assert.equal(rejected[0]?.code, 'validation_failed');
  assert.match(rejected[0]?.message ?? '', /Transaction 2: workstationId/);
  const json = parsePosDocument('json', JSON.stringify({ transactions: [{ posStoreId: 'S1', workstationId: '1', sequenceNumber: '1', businessDay: '2026-11-24' }, { posStoreId: 'S1', sequenceNumber: '2', businessDay: '2026-11-24' }] }));
  assert.deepEqual([json.transactions.length, json.rejected[0]?.index, json.rejected[0]?.sequenceNumber], [1, 2, '2']);
  assert.match(json.rejected[0]?.message ?? '', /transactions\.1\.workstationId/);
  assert.throws(() => parsePosDocument('json', '{"transactions": []}'), { code: 'validation_failed' });
  assert.throws(() => parsePosDocument('xml', 'not xml at all'), { code: 'malformed_xml' });
});
