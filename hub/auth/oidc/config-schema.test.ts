import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../../contracts/index.js';
import { loadHubConfig } from '../../config/index.js';

test('VIGIL_OIDC_* variables build the oidc section; VIGIL_DEV_IDP=0 means off', () => {
  const config = loadHubConfig({
    env: {
      VIGIL_OIDC_ISSUER: 'https://login.example.com/tenant/v2.0', VIGIL_OIDC_CLIENT_ID: 'vigil', VIGIL_OIDC_CLIENT_SECRET: 's3cret',
      VIGIL_OIDC_TENANT: 'ten_aaaaaaaaaaaa', VIGIL_OIDC_SCOPES: 'openid email profile', VIGIL_OIDC_ROLE_MAP: '{"LP-Admins":"lp_admin"}', VIGIL_DEV_IDP: '0',
    },
  });
  assert.equal(config.identity.devIdp, false);
  assert.equal(config.identity.oidc?.issuer, 'https://login.example.com/tenant/v2.0');
  assert.deepEqual(config.identity.oidc?.scopes, ['openid', 'email', 'profile']);
  assert.deepEqual(config.identity.oidc?.roleMap, { 'LP-Admins': 'lp_admin' });
  assert.equal(config.identity.oidc?.allowHttp, false);
  assert.equal(loadHubConfig({ env: { VIGIL_DEV_IDP: '1' } }).identity.devIdp, true);
  assert.equal(loadHubConfig({ env: {} }).identity.oidc, undefined);
});

test('a bad oidc section lists every problem', () => {
  assert.throws(
    () => loadHubConfig({ env: { VIGIL_OIDC_ISSUER: 'not a url', VIGIL_OIDC_TENANT: 'acme', VIGIL_OIDC_ROLE_MAP: '{"x":"superuser"}' } }),
    (error: unknown) => {
      assert.ok(error instanceof AppError);
      for (const path of ['identity.oidc.issuer', 'identity.oidc.clientId', 'identity.oidc.tenantId', 'identity.oidc.roleMap']) assert.match(error.message, new RegExp(path.replaceAll('.', '\\.')), path);
      return true;
    },
  );
});

test('the idle timeout defaults to 30 minutes, is set by VIGIL_OIDC_SESSION_IDLE_MINUTES, and is bounded', () => {
  const env = { VIGIL_OIDC_ISSUER: 'https://login.example.com', VIGIL_OIDC_CLIENT_ID: 'vigil', VIGIL_OIDC_TENANT: 'ten_aaaaaaaaaaaa' };
  assert.equal(loadHubConfig({ env }).identity.oidc?.sessionIdleMinutes, 30);
  assert.equal(loadHubConfig({ env: { ...env, VIGIL_OIDC_SESSION_IDLE_MINUTES: '15' } }).identity.oidc?.sessionIdleMinutes, 15);
  assert.throws(() => loadHubConfig({ env: { ...env, VIGIL_OIDC_SESSION_IDLE_MINUTES: '0' } }), /identity\.oidc\.sessionIdleMinutes/);
  assert.equal(loadHubConfig({ env: {} }).http.authFailuresPerMinute, 30);
  assert.equal(loadHubConfig({ env: { VIGIL_AUTH_FAILURES_PER_MINUTE: '0' } }).http.authFailuresPerMinute, 0);
});
