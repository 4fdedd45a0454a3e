import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blockedReason, resolveGuarded, SubnetAllowList } from '../../hub/webhooks/index.js';
import { startWebhookReceiver } from '../servers/webhook-receiver.js';
import { databaseLabel } from '../support/database.js';
import { FAST, until, webhookFixture } from './support.js';

const BLOCKED: Array<[string, RegExp]> = [
  ['127.0.0.1', /loopback/], ['127.255.0.9', /loopback/], ['0.0.0.0', /this network/],
  ['10.1.2.3', /RFC 1918/], ['172.16.0.1', /RFC 1918/], ['172.31.255.255', /RFC 1918/], ['192.168.1.1', /RFC 1918/],
  ['169.254.169.254', /link-local/], ['100.64.0.1', /carrier-grade NAT/], ['100.127.255.254', /carrier-grade NAT/],
  ['224.0.0.251', /multicast/], ['239.255.255.250', /multicast/], ['240.0.0.1', /reserved/], ['255.255.255.255', /reserved/],
  ['192.0.2.10', /documentation/], ['198.51.100.7', /documentation/], ['203.0.113.9', /documentation/], ['198.18.0.1', /benchmarking/],
  ['::1', /loopback/], ['::', /unspecified/], ['fd00::1', /ULA/], ['fc12:3456::1', /ULA/], ['fe80::1', /link-local/], ['ff02::1', /multicast/],
  ['2001:db8::1', /documentation/],
  ['::ffff:127.0.0.1', /loopback .*IPv4 embedded/], ['::ffff:7f00:1', /loopback .*IPv4 embedded/], ['::ffff:10.0.0.1', /RFC 1918/],
  ['::ffff:169.254.169.254', /link-local/], ['64:ff9b::a9fe:a9fe', /link-local/], ['::127.0.0.1', /loopback/],
];
const PUBLIC = ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '192.169.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'];

test('SSRF table: every private, special and mapped address class is refused; public unicast passes', () => {
  for (const [address, reason] of BLOCKED) assert.match(blockedReason(address) ?? 'allowed', reason, address);
  for (const address of PUBLIC) assert.equal(blockedReason(address), null, address);
});

test('an allow-listed subnet lets exactly its addresses through, IPv4-mapped forms included', () => {
  const allow = new SubnetAllowList(['127.0.0.1/32', '10.20.0.0/16', 'fd00:1::/32']);
  assert.ok(allow.allows('127.0.0.1'));
  assert.ok(allow.allows('::ffff:127.0.0.1'));
  assert.ok(!allow.allows('127.0.0.2'));
  assert.ok(allow.allows('10.20.9.9'));
  assert.ok(!allow.allows('10.21.0.1'));
  assert.ok(allow.allows('fd00:1::5'));
  assert.ok(!allow.allows('fd00:2::5'));
});

test('names are checked after DNS resolution: localhost and a name with any private address are refused', async () => {
  const none = new SubnetAllowList([]);
  await assert.rejects(resolveGuarded('localhost', none), (e: Error & { code?: string }) => e.code === 'forbidden' && /loopback/.test(e.message));
  const rebinding = async () => [{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.5', family: 4 }];
  await assert.rejects(resolveGuarded('mixed.example', none, rebinding), /RFC 1918/);
  const metadata = async () => [{ address: '::ffff:169.254.169.254', family: 6 }];
  await assert.rejects(resolveGuarded('metadata.example', none, metadata), /link-local/);
  const ok = await resolveGuarded('public.example', none, async () => [{ address: '93.184.216.34', family: 4 }]);
  assert.deepEqual(ok, { address: '93.184.216.34', family: 4 });
  const local = await resolveGuarded('localhost', new SubnetAllowList(['127.0.0.1/32', '::1/128']));
  assert.ok(['127.0.0.1', '::1'].includes(local.address), 'allow-listed loopback passes');
});

test(`[${databaseLabel()}] a delivery to a name resolving to 127.0.0.1 is refused on every attempt until the tenant allow-lists it`, async () => {
  const fx = await webhookFixture({ allowLoopback: false });
  const receiver = await startWebhookReceiver();
  try {
    fx.startWorker({ ...FAST, retryScheduleMs: [5, 5] });
    const url = receiver.url.replace('127.0.0.1', 'localhost');
    const endpoint = await fx.createEndpoint({ url, eventTypes: ['incident.created'] });
    await fx.raiseIncident();
    const attempts = await until(async () => {
      const page = await fx.hub.admin.get<{ data: Array<{ outcome: string; error: string }> }>(`/v1/webhooks/${endpoint.id}/attempts`);
      return page.data.length === 3 && page.data.every((a) => a.outcome !== 'sending') ? page.data : null;
    });
    assert.ok(attempts.every((a) => a.outcome === 'blocked' && /allow-listed/.test(a.error)), JSON.stringify(attempts));
    assert.equal(receiver.received.length, 0, 'no packet reached the receiver');
    await fx.hub.admin.call('PUT', '/v1/webhook-settings', 200, { allowedSubnets: ['127.0.0.1/32', '::1/128'] });
    await fx.raiseIncident();
    await receiver.waitFor(1);
  } finally {
    await receiver.close();
    await fx.stop();
  }
});
