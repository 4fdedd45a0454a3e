import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { AppError } from '../../contracts/index.js';
import { HUB_ENV, loadHubConfig, type HubConfig } from './index.js';

/** A value for every variable, and where it must land. */
const CASES: Array<[variable: string, value: string, read: (c: HubConfig) => unknown, expected: unknown]> = [
  ['VIGIL_DATA_DIR', '/var/lib/vigil', (c) => c.dataDir, '/var/lib/vigil'],
  ['VIGIL_LOG_LEVEL', 'warn', (c) => c.logLevel, 'warn'],
  ['VIGIL_ROLE', 'worker', (c) => c.role, 'worker'],
  ['VIGIL_HOST', '0.0.0.0', (c) => c.http.host, '0.0.0.0'],
  ['VIGIL_PORT', '9090', (c) => c.http.port, 9090],
  ['VIGIL_PUBLIC_URL', 'https://vigil.example.com', (c) => c.http.publicUrl, 'https://vigil.example.com'],
  ['VIGIL_TRUST_PROXY', 'true', (c) => c.http.trustProxy, true],
  ['VIGIL_JSON_BODY_LIMIT', '2048', (c) => c.http.jsonBodyLimitBytes, 2048],
  ['VIGIL_EVENTS_BODY_LIMIT', '4096', (c) => c.http.eventsBodyLimitBytes, 4096],
  ['VIGIL_RATE_LIMIT_IDENTITY', '77', (c) => c.http.rateLimitPerIdentityPerMinute, 77],
  ['VIGIL_RATE_LIMIT_TENANT', '88', (c) => c.http.rateLimitPerTenantPerMinute, 88],
  ['VIGIL_AUTH_FAILURES_PER_MINUTE', '12', (c) => c.http.authFailuresPerMinute, 12],
  ['DATABASE_URL', 'postgres://db.example/vigil', (c) => c.database.url, 'postgres://db.example/vigil'],
  ['VIGIL_DATABASE_POOL_MAX', '25', (c) => c.database.poolMax, 25],
  ['VIGIL_DEV_IDP', '1', (c) => c.identity.devIdp, true],
  ['VIGIL_MERGE_WINDOW_SECONDS', '45', (c) => c.incidents.defaultMergeWindowSeconds, 45],
  ['VIGIL_TUNING_RECALL_FLOOR', '0.95', (c) => c.tuning.recallFloor, 0.95],
  ['VIGIL_TUNING_DAYS', '14', (c) => c.tuning.lookbackDays, 14],
  ['VIGIL_WEBHOOK_RETRY_SCHEDULE_MS', '10, 20,30', (c) => c.webhooks.delivery.retryScheduleMs, [10, 20, 30]],
  ['VIGIL_WEBHOOK_TIMEOUT_MS', '5000', (c) => c.webhooks.delivery.requestTimeoutMs, 5000],
  ['VIGIL_WEBHOOK_CONCURRENCY', '8', (c) => c.webhooks.delivery.concurrency, 8],
  ['VIGIL_WEBHOOK_POLL_MS', '250', (c) => c.webhooks.delivery.pollMs, 250],
  ['VIGIL_WEBHOOK_LEASE_MS', '30000', (c) => c.webhooks.delivery.leaseMs, 30000],
  ['VIGIL_WEBHOOK_ALLOWED_PRIVATE_RANGES', '10.0.0.0/8, fd00::/8', (c) => c.webhooks.allowedPrivateRanges, ['10.0.0.0/8', 'fd00::/8']],
  ['VIGIL_SECRETS_KEY', 'k'.repeat(44), (c) => c.webhooks.secretsKey, 'k'.repeat(44)],
  ['VIGIL_SECRETS_KEY_FILE', '/etc/vigil/secrets.key', (c) => c.webhooks.secretsKeyFile, '/etc/vigil/secrets.key'],
  ['VIGIL_SECRETS_PREVIOUS_KEYS', `${'a'.repeat(44)},${'b'.repeat(44)}`, (c) => c.webhooks.previousSecretsKeys, ['a'.repeat(44), 'b'.repeat(44)]],
  ['VIGIL_EVIDENCE_BACKEND', 'filesystem', (c) => c.evidence.backend, 'filesystem'],
  ['VIGIL_EVIDENCE_MIN_FREE_BYTES', '1000000', (c) => c.evidence.minFreeBytes, 1_000_000],
  ['VIGIL_S3_BUCKET', 'evidence', (c) => c.evidence.s3?.bucket, 'evidence'],
  ['VIGIL_S3_ENDPOINT', 'http://minio.local:9000', (c) => c.evidence.s3?.endpoint, 'http://minio.local:9000'],
  ['VIGIL_S3_REGION', 'eu-central-1', (c) => c.evidence.s3?.region, 'eu-central-1'],
  ['VIGIL_S3_PREFIX', 'chain-a/', (c) => c.evidence.s3?.prefix, 'chain-a/'],
  ['AWS_ACCESS_KEY_ID', 'AKIAEXAMPLE', (c) => c.evidence.s3?.accessKeyId, 'AKIAEXAMPLE'],
  ['AWS_SECRET_ACCESS_KEY', 'secret', (c) => c.evidence.s3?.secretAccessKey, 'secret'],
  ['VIGIL_RETENTION_INTERVAL_SECONDS', '60', (c) => c.retention.intervalSeconds, 60],
  ['VIGIL_POS_UPLOAD_LIMIT_BYTES', '1048576', (c) => c.pos.uploadLimitBytes, 1_048_576],
  ['VIGIL_POS_MAX_CONCURRENT_PARSES', '1', (c) => c.pos.maxConcurrentParses, 1],
  ['VIGIL_AUDIT_KEY', 'a'.repeat(64), (c) => c.audit.key, 'a'.repeat(64)],
  ['VIGIL_AUDIT_KEY_FILE', '/etc/vigil/audit.key', (c) => c.audit.keyFile, '/etc/vigil/audit.key'],
  ['VIGIL_AUDIT_RETIRED_KEY_FILES', '/k/1.key,/k/2.key', (c) => c.audit.retiredKeyFiles, ['/k/1.key', '/k/2.key']],
  ['VIGIL_AUDIT_SIGNING_KEY_FILE', '/etc/vigil/sign.pem', (c) => c.audit.signingKeyFile, '/etc/vigil/sign.pem'],
  ['VIGIL_AUDIT_CHECKPOINT_DIR', '/var/vigil/checkpoints', (c) => c.audit.checkpointDir, '/var/vigil/checkpoints'],
  ['VIGIL_AUDIT_CHECKPOINT_INTERVAL_SECONDS', '300', (c) => c.audit.checkpointIntervalSeconds, 300],
  ['VIGIL_AUDIT_CHECKPOINT_WEBHOOK_URL', 'https://anchor.example.com/in', (c) => c.audit.checkpointWebhookUrl, 'https://anchor.example.com/in'],
  ['VIGIL_AUDIT_S3_BUCKET', 'anchors', (c) => c.audit.s3?.bucket, 'anchors'],
];

/** Variables of audit.s3 other than the bucket need the bucket beside them. */
const AUDIT_S3_CASES: Array<[variable: string, value: string, read: (c: HubConfig) => unknown, expected: unknown]> = [
  ['VIGIL_AUDIT_S3_PREFIX', 'chain/', (c) => c.audit.s3?.prefix, 'chain/'],
  ['VIGIL_AUDIT_S3_ENDPOINT', 'http://minio.local:9000', (c) => c.audit.s3?.endpoint, 'http://minio.local:9000'],
  ['VIGIL_AUDIT_S3_REGION', 'eu-west-1', (c) => c.audit.s3?.region, 'eu-west-1'],
  ['VIGIL_AUDIT_S3_ACCESS_KEY_ID', 'AKIA', (c) => c.audit.s3?.accessKeyId, 'AKIA'],
  ['VIGIL_AUDIT_S3_SECRET_ACCESS_KEY', 'secret', (c) => c.audit.s3?.secretAccessKey, 'secret'],
  ['VIGIL_AUDIT_S3_RETAIN_DAYS', '0', (c) => c.audit.s3?.retainDays, 0],
];

describe('hub config', () => {
  test('every documented variable has a case here', () => {
    assert.deepEqual([...CASES, ...AUDIT_S3_CASES].map(([variable]) => variable).sort(), Object.keys(HUB_ENV).sort());
  });

  for (const [variable, value, read, expected] of CASES) {
    test(`${variable}=${value} lands in its section`, () => {
      assert.deepEqual(read(loadHubConfig({ env: { [variable]: value } })), expected);
    });
    test(`${variable} empty means unset: the default stays`, () => {
      const defaults = loadHubConfig({ env: {} });
      assert.deepEqual(read(loadHubConfig({ env: { [variable]: '' } })), read(defaults));
    });
  }

  for (const [variable, value, read, expected] of AUDIT_S3_CASES) {
    test(`${variable}=${value} lands in audit.s3 beside the bucket`, () => {
      assert.deepEqual(read(loadHubConfig({ env: { VIGIL_AUDIT_S3_BUCKET: 'anchors', [variable]: value } })), expected);
    });
  }

  test('false and 0 are values, not absence', () => {
    const config = loadHubConfig({ env: { VIGIL_TRUST_PROXY: 'false', VIGIL_DEV_IDP: '0', VIGIL_PORT: '0', VIGIL_RATE_LIMIT_IDENTITY: '0', VIGIL_EVIDENCE_MIN_FREE_BYTES: '0' } });
    assert.equal(config.http.trustProxy, false);
    assert.equal(config.identity.devIdp, false);
    assert.equal(config.http.port, 0);
    assert.equal(config.http.rateLimitPerIdentityPerMinute, 0);
    assert.equal(config.evidence.minFreeBytes, 0);
    for (const off of ['false', 'FALSE', 'no', 'off', '0']) assert.equal(loadHubConfig({ env: { VIGIL_TRUST_PROXY: off } }).http.trustProxy, false, off);
    for (const on of ['true', 'yes', 'on', '1']) assert.equal(loadHubConfig({ env: { VIGIL_TRUST_PROXY: on } }).http.trustProxy, true, on);
  });

  test('defaults with nothing set', () => {
    const config = loadHubConfig({ env: {} });
    assert.equal(config.http.port, 8080);
    assert.equal(config.http.host, '127.0.0.1');
    assert.equal(config.http.trustProxy, false);
    assert.equal(config.database.url, undefined);
    assert.equal(config.evidence.backend, 'filesystem');
    assert.equal(config.webhooks.delivery.retryScheduleMs.length, 7);
    assert.deepEqual(config.webhooks.allowedPrivateRanges, []);
  });

  test('every bad value is reported at once, with its path', () => {
    assert.throws(
      () => loadHubConfig({ env: { VIGIL_TRUST_PROXY: 'maybe', VIGIL_PORT: '99999', VIGIL_WEBHOOK_TIMEOUT_MS: 'soon', VIGIL_EVIDENCE_BACKEND: 's3', VIGIL_RETENTION_INTERVAL_SECONDS: '1' } }),
      (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.equal(error.code, 'config_invalid');
        for (const path of ['http.trustProxy', 'http.port', 'webhooks.delivery.requestTimeoutMs', 'evidence.s3.bucket', 'retention.intervalSeconds']) assert.ok(error.message.includes(path), `${path} in ${error.message}`);
        return true;
      },
    );
  });

  test('file < environment < overrides, merged inside sections', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-config-'));
    try {
      const file = join(dir, 'hub.yaml');
      await writeFile(file, 'http:\n  port: 7000\n  host: 10.0.0.5\nwebhooks:\n  delivery:\n    concurrency: 4\n');
      const config = loadHubConfig({ file, env: { VIGIL_PORT: '7100' }, overrides: { http: { trustProxy: true } } });
      assert.equal(config.http.port, 7100);
      assert.equal(config.http.host, '10.0.0.5');
      assert.equal(config.http.trustProxy, true);
      assert.equal(config.webhooks.delivery.concurrency, 4);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('an unknown key in a file is refused, not ignored', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-config-'));
    try {
      const file = join(dir, 'hub.yaml');
      await writeFile(file, 'http:\n  prot: 7000\n');
      assert.throws(() => loadHubConfig({ file, env: {} }), /http: Unrecognized key/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
