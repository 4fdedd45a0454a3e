import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { RtspAuthenticator } from './rtsp-auth.js';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

/** What a client computes from the server's challenge (RFC 2617 section 3.2.2, with and without qop). */
function digestHeader(challenge: string, user: string, password: string, method: string, uri: string, qop = false): string {
  const realm = /realm="([^"]+)"/.exec(challenge)?.[1] ?? '';
  const nonce = /nonce="([^"]+)"/.exec(challenge)?.[1] ?? '';
  const ha1 = md5(`${user}:${realm}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  const response = qop ? md5(`${ha1}:${nonce}:00000001:abc:auth:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
  const extra = qop ? ', qop=auth, nc=00000001, cnonce="abc"' : '';
  return `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}"${extra}`;
}

test('Digest (with and without qop) and Basic are accepted only with the right password', () => {
  const auth = new RtspAuthenticator({ user: 'admin', password: 'pw' });
  const challenge = auth.challenges()[0] ?? '';
  const uri = 'rtsp://127.0.0.1:8554/sub';
  assert.equal(auth.isAllowed('DESCRIBE', digestHeader(challenge, 'admin', 'pw', 'DESCRIBE', uri)), true);
  assert.equal(auth.isAllowed('DESCRIBE', digestHeader(challenge, 'admin', 'pw', 'DESCRIBE', uri, true)), true);
  assert.equal(auth.isAllowed('DESCRIBE', digestHeader(challenge, 'admin', 'nope', 'DESCRIBE', uri)), false);
  // The response binds the method: a DESCRIBE digest replayed for SETUP fails.
  assert.equal(auth.isAllowed('SETUP', digestHeader(challenge, 'admin', 'pw', 'DESCRIBE', uri)), false);
  assert.equal(auth.isAllowed('PLAY', `Basic ${Buffer.from('admin:pw').toString('base64')}`), true);
  assert.equal(auth.isAllowed('PLAY', `Basic ${Buffer.from('admin:pw2').toString('base64')}`), false);
  assert.equal(auth.isAllowed('PLAY', undefined), false);
  assert.equal(auth.isAllowed('PLAY', 'Bearer x'), false);
});

test('without configured credentials every request passes', () => {
  assert.equal(new RtspAuthenticator(null).isAllowed('PLAY', undefined), true);
});
