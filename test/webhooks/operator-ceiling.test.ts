import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blockedReason, OperatorCeiling } from '../../hub/webhooks/index.js';
import { startWebhookReceiver } from '../servers/webhook-receiver.js';
import { databaseLabel } from '../support/database.js';
import { startTestHub } from '../support/hub.js';
import { FAST, until, webhookFixture } from './support.js';

const db = databaseLabel();

// Every form a tenant could use to reach the hub's host or its cloud, with the range the refusal names.
const DANGEROUS: Array<[string, RegExp]> = [
  ['0.0.0.0/0', /0\.0\.0\.0\/8|127\.0\.0\.0\/8/], ['::/0', /::\/128|::1\/128|127\.0\.0\.0\/8|0\.0\.0\.0\/8/],
  ['127.0.0.0/8', /127\.0\.0\.0\/8 \(loopback\)/], ['127.0.0.1/32', /loopback/], ['0.0.0.0/8', /unspecified/], ['0.0.0.0/32', /unspecified/],
  ['169.254.169.254/32', /169\.254\.169\.254\/32 \(cloud metadata\)/], ['169.254.0.0/16', /cloud metadata|link-local/],
  ['::1/128', /::1\/128 \(loopback\)/], ['::/128', /unspecified/], ['fe80::/10', /link-local/], ['fe80::1/128', /link-local/],
  ['fd00:ec2::254/128', /cloud metadata/], ['fd00::/8', /cloud metadata/],
  ['::ffff:127.0.0.1/128', /127\.0\.0\.0\/8 \(loopback\)/], ['::ffff:7f00:0/104', /loopback/], ['::ffff:169.254.169.254/128', /cloud metadata/],
  ['::ffff:0:127.0.0.1/128', /loopback/], ['::ffff:0:a9fe:a9fe/128', /cloud metadata/],
  ['64:ff9b::127.0.0.1/128', /loopback/], ['64:ff9b::a9fe:a9fe/128', /cloud metadata/], ['64:ff9b::/96', /0\.0\.0\.0\/8|loopback/],
  ['::ffff:0:0/96', /0\.0\.0\.0\/8|loopback/], ['::/64', /unspecified|loopback|0\.0\.0\.0\/8/], ['::7f00:1/128', /IPv4-compatible/],
];
const PRIVATE = ['10.20.0.0/16', '192.168.7.0/24', 'fd12:3456::/32', '::ffff:10.20.1.0/120', '64:ff9b::10.20.0.1/128'];

test('SSRF ceiling, none set: every private and dangerous form is refused to a tenant, naming the range', () => {
  const ceiling = new OperatorCeiling([]);
  for (const [range, named] of DANGEROUS) assert.match(ceiling.refusal(range) ?? 'accepted', named, range);
  for (const range of PRIVATE) assert.match(ceiling.refusal(range) ?? 'accepted', /outside the private ranges the operator allows/, range);
});

test('SSRF ceiling, broad operator ranges: private ranges inside pass; dangerous ones still need the operator to name them', () => {
  const ceiling = new OperatorCeiling(['0.0.0.0/0', '::/0']);
  for (const range of PRIVATE) assert.equal(ceiling.refusal(range), null, range);
  for (const [range, named] of DANGEROUS) assert.match(ceiling.refusal(range) ?? 'accepted', named, range);
});

test('SSRF ceiling, named ranges: loopback and metadata open exactly where the operator names them, in every form', () => {
  const ceiling = new OperatorCeiling(['127.0.0.1/32', '::1/128', '169.254.169.254/32', '10.0.0.0/8']);
  for (const range of ['127.0.0.1/32', '::ffff:127.0.0.1/128', '::ffff:0:127.0.0.1/128', '64:ff9b::7f00:1/128', '::1/128', '169.254.169.254/32', '64:ff9b::a9fe:a9fe/128', '10.20.0.0/16', '::ffff:10.1.0.0/112']) {
    assert.equal(ceiling.refusal(range), null, range);
  }
  for (const range of ['127.0.0.0/8', '127.0.0.2/32', '169.254.0.0/16', 'fe80::/10', '0.0.0.0/0', '::/0', '192.168.0.0/16', 'fd00:ec2::254/128']) {
    assert.notEqual(ceiling.refusal(range), null, range);
  }
  assert.ok(ceiling.allowList.allows('127.0.0.1') && ceiling.allowList.allows('::ffff:127.0.0.1') && !ceiling.allowList.allows('127.0.0.2'));
});

test('IPv4-translated (::ffff:0:a.b.c.d) and NAT64 addresses are classified by the IPv4 address they carry', () => {
  assert.match(blockedReason('::ffff:0:127.0.0.1') ?? 'allowed', /loopback .*IPv4 embedded/);
  assert.match(blockedReason('::ffff:0:a9fe:a9fe') ?? 'allowed', /link-local/);
  assert.match(blockedReason('64:ff9b::7f00:1') ?? 'allowed', /loopback/);
  assert.equal(blockedReason('64:ff9b::808:808'), null);
});

test(`[${db}] the API refuses allow-lists beyond the operator ceiling with 422 naming the range, and an IPv6 zone id in a URL with 400`, async () => {
  const hub = await startTestHub({ role: 'api' });
  try {
    for (const range of ['0.0.0.0/0', '::/0', '127.0.0.0/8', '169.254.169.254/32', '::ffff:127.0.0.1/128', '64:ff9b::a9fe:a9fe/128', '10.20.0.0/16']) {
      const body = await hub.admin.call<{ error: { code: string; message: string } }>('PUT', '/v1/webhook-settings', 422, { allowedSubnets: [range] });
      assert.equal(body.error.code, 'unprocessable');
      assert.ok(body.error.message.includes(range), body.error.message);
    }
    assert.deepEqual(await hub.admin.get('/v1/webhook-settings'), { allowedSubnets: [] }, 'nothing was saved');
    for (const url of ['http://[fe80::1%25eth0]/x', 'http://[fe80::1%eth0]/x']) {
      const body = await hub.admin.call<{ error: { code: string } }>('POST', '/v1/webhooks', 400, { url, eventTypes: ['incident.created'] });
      assert.ok(body.error.code, url);
    }
  } finally {
    await hub.stop();
  }
  const operated = await startTestHub({ role: 'api', webhooks: { allowedPrivateRanges: ['10.0.0.0/8', '127.0.0.1/32'] } });
  try {
    await operated.admin.call('PUT', '/v1/webhook-settings', 200, { allowedSubnets: ['10.20.0.0/16', '127.0.0.1/32'] });
    const refused = await operated.admin.call<{ error: { message: string } }>('PUT', '/v1/webhook-settings', 422, { allowedSubnets: ['10.20.0.0/16', '127.0.0.0/8'] });
    assert.match(refused.error.message, /127\.0\.0\.0\/8.*loopback/);
  } finally {
    await operated.stop();
  }
});

test(`[${db}] at delivery the operator ceiling wins over a tenant allow-list stored before it was narrowed`, async () => {
  const fx = await webhookFixture();
  const receiver = await startWebhookReceiver();
  try {
    // The tenant allow-listed loopback under the fixture's ceiling; this worker runs with an empty one.
    fx.startWorker({ ...FAST, retryScheduleMs: [5] }, []);
    const endpoint = await fx.createEndpoint({ url: receiver.url, eventTypes: ['incident.created'] });
    await fx.raiseIncident();
    const attempts = await until(async () => {
      const page = await fx.hub.admin.get<{ data: Array<{ outcome: string; error: string }> }>(`/v1/webhooks/${endpoint.id}/attempts`);
      return page.data.length === 2 && page.data.every((a) => a.outcome !== 'sending') ? page.data : null;
    });
    assert.ok(attempts.every((a) => a.outcome === 'blocked' && /loopback/.test(a.error)), JSON.stringify(attempts));
    assert.equal(receiver.received.length, 0, 'no packet reached the receiver');
  } finally {
    await receiver.close();
    await fx.stop();
  }
});
