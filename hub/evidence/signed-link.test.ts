import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { checkLink, parseLink, signLink } from './signed-link.js';

const secret = randomBytes(32);
const grant = { tenantId: 'ten_01jd0x6q8e4t0m3v7x9k2c5b1n', environment: 'production', targetId: 'evd_01jd0x6q8e4t0m3v7x9k2c5b1n', linkId: 'lnk_01jd0x6q8e4t0m3v7x9k2c5b1n', principalId: 'usr_01jd0x6q8e4t0m3v7x9k2c5b1n', disposition: 'inline' as const, expiresAt: 2_000_000 };

function reparse(path: string) {
  const url = new URL(path, 'http://hub');
  return parseLink(url.pathname.split('/').at(-1) ?? '', Object.fromEntries(url.searchParams));
}

test('a signed link verifies until it expires; any altered field is refused as altered', () => {
  const link = signLink(secret, grant);
  const { grant: parsed, signature } = reparse(link);
  checkLink(secret, parsed, signature, 1_999_999);
  assert.throws(() => checkLink(secret, parsed, signature, 2_000_000), { code: 'link_expired' });
  assert.throws(() => checkLink(secret, { ...parsed, expiresAt: 9_000_000 }, signature, 1), { code: 'signature_invalid' });
  assert.throws(() => checkLink(secret, { ...parsed, disposition: 'attachment' }, signature, 1), { code: 'signature_invalid' });
  assert.throws(() => checkLink(secret, { ...parsed, targetId: 'evd_01jd0x6q8e4t0m3v7x9k2c5b1m' }, signature, 1), { code: 'signature_invalid' });
  assert.throws(() => checkLink(secret, { ...parsed, linkId: 'lnk_01jd0x6q8e4t0m3v7x9k2c5b1m' }, signature, 1), { code: 'signature_invalid' });
  assert.throws(() => checkLink(randomBytes(32), parsed, signature, 1), { code: 'signature_invalid' });
  assert.throws(() => reparse(link.replace(/s=[^&]+/, 's=short')), { code: 'signature_invalid' });
  assert.throws(() => checkLink(secret, { ...parsed, environment: 'staging' }, signature, 1), { code: 'signature_invalid' });
});

test('a staging link names its environment, and moving it to production breaks the signature', () => {
  const link = signLink(secret, { ...grant, environment: 'staging' });
  assert.match(link, /[?&]n=staging&/);
  const { grant: parsed, signature } = reparse(link);
  assert.equal(parsed.environment, 'staging');
  checkLink(secret, parsed, signature, 1);
  const { grant: moved, signature: same } = reparse(link.replace('n=staging&', ''));
  assert.equal(moved.environment, 'production');
  assert.throws(() => checkLink(secret, moved, same, 1), { code: 'signature_invalid' });
  assert.doesNotMatch(signLink(secret, grant), /[?&]n=/);
});
