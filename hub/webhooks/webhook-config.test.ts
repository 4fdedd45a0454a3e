import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadHubConfig } from '../config/index.js';
import { DEFAULT_RETRY_SCHEDULE_MS } from './delivery-options.js';

test('the webhooks section is read from VIGIL_WEBHOOK_* / VIGIL_SECRETS_* through WEBHOOK_ENV, validated at start', () => {
  const defaults = loadHubConfig({ env: {} }).webhooks;
  assert.deepEqual(defaults.allowedPrivateRanges, [], 'the operator ceiling is empty by default');
  assert.deepEqual(defaults.delivery.retryScheduleMs, DEFAULT_RETRY_SCHEDULE_MS);
  const config = loadHubConfig({
    env: {
      VIGIL_WEBHOOK_ALLOWED_PRIVATE_RANGES: '10.0.0.0/8, 127.0.0.1/32',
      VIGIL_WEBHOOK_TIMEOUT_MS: '5000',
      VIGIL_WEBHOOK_RETRY_SCHEDULE_MS: '10,20',
      VIGIL_SECRETS_KEY: Buffer.alloc(32, 1).toString('base64'),
    },
  });
  assert.deepEqual(config.webhooks.allowedPrivateRanges, ['10.0.0.0/8', '127.0.0.1/32']);
  assert.equal(config.webhooks.delivery.requestTimeoutMs, 5000);
  assert.deepEqual(config.webhooks.delivery.retryScheduleMs, [10, 20]);
  assert.equal(config.webhooks.secretsKey, Buffer.alloc(32, 1).toString('base64'));
  assert.throws(
    () => loadHubConfig({ env: { VIGIL_WEBHOOK_ALLOWED_PRIVATE_RANGES: 'not-a-range', VIGIL_WEBHOOK_TIMEOUT_MS: '-1' } }),
    (e: Error & { code?: string }) => e.code === 'config_invalid' && /webhooks\.allowedPrivateRanges/.test(e.message) && /webhooks\.delivery\.requestTimeoutMs/.test(e.message),
  );
  // A lease must outlast a whole request: a send starts only while its timeout fits in the lease.
  assert.throws(
    () => loadHubConfig({ env: { VIGIL_WEBHOOK_LEASE_MS: '10000', VIGIL_WEBHOOK_TIMEOUT_MS: '15000' } }),
    (e: Error & { code?: string }) => e.code === 'config_invalid' && /webhooks\.delivery\.leaseMs/.test(e.message),
  );
});
