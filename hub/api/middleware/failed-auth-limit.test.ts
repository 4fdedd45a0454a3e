import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import { FailedAuthLimiter } from './rate-limit.js';

test('FailedAuthLimiter: the budget of failures refills with the injected clock', () => {
  let now = 0;
  const limiter = new FailedAuthLimiter(2, () => now);
  limiter.recordFailure('10.0.0.1');
  limiter.recordFailure('10.0.0.1');
  assert.throws(() => limiter.assertAllowed('10.0.0.1'), (error: { code?: string; details?: { retryAfterSeconds?: number } }) => error.code === 'rate_limited' && error.details?.retryAfterSeconds === 30);
  limiter.assertAllowed('10.0.0.2');
  now = 30_000;
  limiter.assertAllowed('10.0.0.1');
});

describe('failed authentication is limited per client address (429 with Retry-After)', () => {
  let hub: TestHub;

  before(async () => {
    // trustProxy lets the test speak from two addresses through X-Forwarded-For.
    hub = await startTestHub({ http: { authFailuresPerMinute: 3, trustProxy: true } });
  });
  after(() => hub.stop());

  const call = (address: string, token: string) =>
    fetch(`${hub.url}/v1/incidents`, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': address } });

  test('after 3 failures the address gets 429 with Retry-After, even with a good token; another address does not', async () => {
    for (let i = 0; i < 3; i += 1) assert.equal((await call('203.0.113.7', `vgl_wrong${i}`)).status, 401);
    const limited = await call('203.0.113.7', 'vgl_wrong-again');
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1, 'Retry-After names the seconds to wait');
    assert.equal(((await limited.json()) as { error: { code: string } }).error.code, 'rate_limited');
    assert.equal((await call('203.0.113.7', hub.adminToken)).status, 429, 'the address is slowed down, whatever it sends');
    assert.equal((await call('198.51.100.9', hub.adminToken)).status, 200, 'another address is not');
  });

  test('successful requests spend nothing', async () => {
    for (let i = 0; i < 10; i += 1) assert.equal((await call('198.51.100.10', hub.adminToken)).status, 200);
  });
});
