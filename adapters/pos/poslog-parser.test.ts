import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectExceptions, parsePosLog } from './index.js';
import { NO_SALE, OVERRIDE_AND_MANUAL, POST_VOID, REFUND, posLog } from './poslog-fixtures.js';

test('a POSLog sale is normalised: ids, business day, lines with void flag and tender, total; vendor extensions kept raw', () => {
  const [tx] = parsePosLog(posLog([{ store: 'S100', workstation: '3', sequence: 42 }])).transactions;
  assert.ok(tx);
  assert.deepEqual([tx.posStoreId, tx.workstationId, tx.sequenceNumber, tx.businessDay, tx.operatorId, tx.kind, tx.total], ['S100', '3', '42', '2026-11-24', 'op7', 'sale', 5]);
  assert.deepEqual(tx.lineItems.map((l) => [l.type, l.isVoided]), [['sale', false], ['sale', true], ['tender', false]]);
  assert.equal(tx.lineItems[0]?.quantity, 2);
  assert.equal(tx.lineItems[2]?.tenderType, 'Cash');
  assert.match(JSON.stringify(tx.raw), /acme:Loyalty.*990011/);
  assert.deepEqual(detectExceptions(tx), ['line_void'], 'the voided pen refill is a line void, below the void threshold');
});

test('exceptions: no-sale, post-void, refund, price override and manual discount', () => {
  const txs = parsePosLog(posLog([
    { store: 'S1', workstation: '1', sequence: 1, body: NO_SALE },
    { store: 'S1', workstation: '1', sequence: 2, body: POST_VOID },
    { store: 'S1', workstation: '1', sequence: 3, body: REFUND },
    { store: 'S1', workstation: '1', sequence: 4, body: OVERRIDE_AND_MANUAL },
  ])).transactions;
  assert.deepEqual(txs.map((t) => t.kind), ['no_sale', 'post_void', 'return', 'sale']);
  assert.deepEqual(txs.map((t) => detectExceptions(t)), [['no_sale'], ['post_void'], ['refund'], ['price_override', 'manual_discount']]);
});

test('a namespace prefix on the ARTS elements reads the same', () => {
  const [tx] = parsePosLog(posLog([{ store: 'S9', workstation: '7', sequence: 5 }], { prefix: 'arts' })).transactions;
  assert.equal(tx?.workstationId, '7');
  assert.equal(tx?.lineItems.length, 3);
});

test('DTDs, entity bombs, broken nesting and foreign roots are refused with clear errors; a transaction without ids is refused alone', () => {
  const bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><POSLog>&lol2;</POSLog>';
  assert.throws(() => parsePosLog(bomb), { code: 'malformed_xml', message: /DOCTYPE/ });
  assert.throws(() => parsePosLog('<!DOCTYPE POSLog SYSTEM "file:///etc/passwd"><POSLog/>'), { code: 'malformed_xml' });
  assert.throws(() => parsePosLog('<POSLog><Transaction><RetailStoreID>1</Transaction></RetailStoreID></POSLog>'), { code: 'malformed_xml', message: /line 1/ });
  assert.throws(() => parsePosLog('<Invoice/>'), { code: 'validation_failed', message: /POSLog/ });
  assert.throws(() => parsePosLog('<POSLog xmlns="urn:other"><Transaction/></POSLog>'), { code: 'validation_failed', message: /namespace/ });
  const lone = parsePosLog('<POSLog><Transaction><WorkstationID>1</WorkstationID><SequenceNumber>8</SequenceNumber></Transaction></POSLog>');
  assert.deepEqual(lone.transactions, []);
  assert.equal(lone.rejected.length, 1);
  assert.deepEqual({ ...lone.rejected[0], message: undefined }, { index: 1, sequenceNumber: '8', code: 'validation_failed', message: undefined });
  assert.match(lone.rejected[0]?.message ?? '', /Transaction 1: posStoreId/);
});
