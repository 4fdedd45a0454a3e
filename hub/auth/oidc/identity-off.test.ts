import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestHub } from '../../../test/support/hub.js';

test('without VIGIL_DEV_IDP and without an oidc section there is no provider, no login and no cookie login', async () => {
  const hub = await startTestHub();
  try {
    assert.equal(hub.running.identity.devIdp, null);
    assert.equal(hub.running.identity.rp, null);
    for (const path of ['/idp/.well-known/openid-configuration', '/auth/login', '/console']) {
      const response = await fetch(`${hub.url}${path}`, { redirect: 'manual' });
      assert.equal(response.status, 404, path);
    }
    const withCookie = await fetch(`${hub.url}/v1/incidents`, { headers: { cookie: `vigil_session=${hub.tenantId}.ses_0000000000000000000000000z.${'A'.repeat(43)}` } });
    assert.equal(withCookie.status, 401);
    await hub.admin.get('/v1/incidents', 200);
  } finally {
    await hub.stop();
  }
});
