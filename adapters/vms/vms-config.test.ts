import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '../../contracts/errors.js';
import { vmsConfigSchema } from './config.js';
import { createVmsAdapter } from './create-vms-adapter.js';
import { MilestoneAdapter } from './milestone-adapter.js';
import { NxAdapter } from './nx-adapter.js';
import { digestAuthorization, parseDigestChallenge } from './digest-auth.js';
import { parseRawHttpResponse } from './raw-http-exchange.js';

test('the VMS config is discriminated by adapter and fills the documented defaults', () => {
  const milestone = vmsConfigSchema.parse({ adapter: 'milestone', host: 'es.local', eventMessage: 'Vigil alarm' });
  assert.deepEqual(milestone, { adapter: 'milestone', host: 'es.local', port: 9090, eventMessage: 'Vigil alarm', vendorName: 'Vigil', timeoutMs: 3000 });
  const generic = vmsConfigSchema.parse({ adapter: 'milestone-generic', host: 'es.local' });
  assert.deepEqual(generic, { adapter: 'milestone-generic', host: 'es.local', port: 1234, template: 'Vigil:{type}:{camera}', terminator: '\r\n', timeoutMs: 3000 });
  const nx = vmsConfigSchema.parse({ adapter: 'nx', url: 'https://nx.local:7001', username: 'u', password: 'p' });
  assert.equal(nx.adapter === 'nx' && nx.api, 'legacy');
  assert.equal(nx.adapter === 'nx' && nx.allowSelfSignedCertificate, false);
});

test('createVmsAdapter refuses an invalid config with config_invalid listing every problem', () => {
  assert.throws(() => createVmsAdapter({ adapter: 'genetec', url: 'ftp://x', username: 'u', password: 'p' }), (error) => {
    assert.ok(isAppError(error));
    assert.equal(error.code, 'config_invalid');
    assert.match(error.message, /url/);
    assert.match(error.message, /applicationId/);
    assert.match(error.message, /customEventId/);
    return true;
  });
  assert.throws(() => createVmsAdapter({ adapter: 'avigilon' }), /config_invalid|invalid VMS configuration/);
  assert.equal(createVmsAdapter({ adapter: 'milestone', host: 'es', eventMessage: 'm' }).health().state, 'idle');
});

test('the Event Server answer is read by Content-Length, by chunks, or up to the close', () => {
  assert.equal(parseRawHttpResponse(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab'), false), null);
  assert.equal(parseRawHttpResponse(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nab'), false)?.body, 'ab');
  const chunked = Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nWarni\r\n3\r\nng!\r\n0\r\n\r\n');
  assert.equal(parseRawHttpResponse(chunked, false)?.body, 'Warning!');
  assert.equal(parseRawHttpResponse(Buffer.from('HTTP/1.1 500 Internal Server Error\r\n\r\nbusy'), true)?.statusCode, 500);
  assert.throws(() => parseRawHttpResponse(Buffer.from('SSH-2.0-OpenSSH\r\n\r\n'), true), /not an HTTP response/);
});

test('Digest: the RFC 2617 example (MD5, qop=auth) gives the published response', () => {
  const challenge = parseDigestChallenge('Basic realm="x", Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"');
  assert.ok(challenge);
  assert.equal(challenge.realm, 'testrealm@host.com');
  const header = digestAuthorization(challenge, { username: 'Mufasa', password: 'Circle Of Life' }, 'GET', '/dir/index.html', '0a4f113b');
  assert.match(header, /response="6629fae49393a05397450978507c4ef1"/);
  assert.match(header, /qop=auth, nc=00000001, cnonce="0a4f113b"/);
  assert.match(header, /opaque="5ccc069c403ebaf9f0171e9517f40e41"/);
});

test('an adapter built directly takes its config as written: defaults filled, bad values refused', () => {
  assert.equal(new MilestoneAdapter({ host: 'es.local', eventMessage: 'Vigil alarm' }).health().vendor, 'milestone');
  assert.equal(new NxAdapter({ url: 'http://nx.local:7001', username: 'u', password: 'p' }).vendor, 'nx');
  assert.throws(() => new MilestoneAdapter({ host: 'es.local', eventMessage: '' }), /config_invalid|eventMessage/);
});
