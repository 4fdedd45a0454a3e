import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import { verifyAuditChains } from '../../audit/index.js';
import { Browserless } from './test-support/browserless.js';
import { OPEN_REDIRECTS } from './test-support/open-redirects.js';
import { logIn, openLoginForm, seedDemo, signInUntilCallback, type DemoFixture } from './test-support/demo-fixture.js';


interface AuditRow { action: string; actor_type: string; actor_id: string; subject_type: string; subject_id: string; request_id: string | null; after: unknown }

describe('sign-in hardening, over HTTP', () => {
  let hub: TestHub;
  let demo: DemoFixture;

  before(async () => {
    hub = await startTestHub({ identity: { devIdp: true } });
    demo = await seedDemo(hub);
  });
  after(() => hub.stop());

  const audit = (action: string): Promise<AuditRow[]> =>
    hub.db.knex('audit_records').where({ tenant_id: demo.devIdp.directory.tenantId, action }).orderBy('seq') as Promise<AuditRow[]>;
  const me = async (browser: Browserless) => (await (await browser.request(`${hub.url}/auth/me`)).json()) as { user: { id: string } };

  test('returnTo is judged after normalisation: every open-redirect form is a 400 page, and no login starts', async () => {
    for (const bad of OPEN_REDIRECTS) {
      const response = await fetch(`${hub.url}/auth/login?returnTo=${encodeURIComponent(bad)}`, { redirect: 'manual' });
      assert.equal(response.status, 400, bad);
      assert.equal(response.headers.get('location'), null, bad);
      assert.match(response.headers.get('content-type') ?? '', /text\/html/, bad);
      assert.match(await response.text(), /data-code="validation_failed"/, bad);
    }
  });

  test('good paths survive, normalised: the callback sends the browser back to them', async () => {
    for (const [asked, landed] of [['/console?tab=open#top', '/console?tab=open#top'], ['/a/../console', '/console'], ['/console/%2e%2e/console', '/console']] as const) {
      const { browser, formUrl } = await openLoginForm(hub.url, new Browserless(), asked);
      const callback = await signInUntilCallback(browser, formUrl, demo.account('auditor'));
      const response = await browser.request(callback);
      assert.equal(response.status, 302);
      assert.equal(response.headers.get('location'), landed, asked);
    }
  });

  test('a cookie-authenticated change needs the hub\'s Origin or Sec-Fetch-Site: same-origin; bearer tokens are unaffected', async () => {
    const target = await me(await logIn(hub.url, demo.account('store_manager')));
    const admin = await logIn(hub.url, demo.account('lp_admin'));
    const disable = `${hub.url}/v1/users/${target.user.id}/disable`;
    for (const headers of [{}, { origin: 'http://127.0.0.1:1' }, { origin: 'null' }, { 'sec-fetch-site': 'same-site' }, { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' }]) {
      const refused = await admin.request(disable, { method: 'POST', headers });
      assert.equal(refused.status, 403, JSON.stringify(headers));
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'cross_origin_refused');
    }
    const user = async () => hub.db.knex('users').where({ id: target.user.id }).first<{ disabled_at: Date | null }>();
    assert.equal((await user())?.disabled_at, null, 'nothing changed');
    assert.equal((await admin.request(disable, { method: 'POST', headers: { origin: hub.url } })).status, 200);
    assert.notEqual((await user())?.disabled_at, null);
    assert.equal((await admin.request(`${hub.url}/v1/users/${target.user.id}/enable`, { method: 'POST', headers: { 'sec-fetch-site': 'same-origin' } })).status, 200);
    assert.equal((await admin.request(`${hub.url}/v1/incidents`)).status, 200, 'reads need no Origin');
    const byToken = await fetch(disable, { method: 'POST', headers: { authorization: `Bearer ${demo.admin.token ?? ''}`, origin: 'http://evil.example' } });
    assert.equal(byToken.status, 200, 'a bearer token is no ambient credential');
    await demo.admin.call('POST', `/v1/users/${target.user.id}/enable`, 200);
  });

  test('logins, logouts and failed logins are audited in the tenant\'s chain', async () => {
    const before = { login: (await audit('auth.login')).length, logout: (await audit('auth.logout')).length, failed: (await audit('auth.login_failed')).length };
    const browser = await logIn(hub.url, demo.account('it_integrator'));
    const { user } = await me(browser);
    const logins = await audit('auth.login');
    assert.equal(logins.length, before.login + 1);
    const login = logins.at(-1);
    assert.equal(login?.actor_type, 'user');
    assert.equal(login?.actor_id, user.id);
    assert.equal(login?.subject_type, 'Session');
    assert.equal(login?.subject_id, (browser.cookies.get('vigil_session') ?? '').split('.')[1]);

    const out = await browser.request(`${hub.url}/auth/logout`, { method: 'POST', headers: { origin: hub.url } });
    assert.equal(out.status, 303);
    const logouts = await audit('auth.logout');
    assert.equal(logouts.length, before.logout + 1);
    assert.equal(logouts.at(-1)?.actor_id, user.id);

    // A callback planted in another browser: state mismatch.
    const { browser: victim, formUrl } = await openLoginForm(hub.url);
    const callback = await signInUntilCallback(victim, formUrl, demo.account('lp_admin'));
    const planted = await new Browserless().request(callback);
    assert.equal(planted.status, 401);
    const failures = await audit('auth.login_failed');
    assert.equal(failures.length, before.failed + 1);
    assert.equal(failures.at(-1)?.actor_type, 'system');
    assert.equal(failures.at(-1)?.request_id, planted.headers.get('x-request-id'));
    assert.deepEqual((failures.at(-1)?.after as { code: string }).code, 'unauthenticated');
    const [report] = await verifyAuditChains(hub.db.knex, demo.devIdp.directory.tenantId);
    assert.equal(report?.ok, true, 'the sign-in records are links of the tenant\'s hash chain');
  });

  test('sign-in failures are HTML pages: the provider\'s error, and a disabled user (audited too)', async () => {
    const providerError = await fetch(`${hub.url}/auth/callback?error=access_denied&state=x`, { redirect: 'manual' });
    assert.equal(providerError.status, 401);
    assert.match(providerError.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await providerError.text(), /access_denied/);

    const target = await me(await logIn(hub.url, demo.account('regional_manager')));
    await demo.admin.call('POST', `/v1/users/${target.user.id}/disable`, 200);
    try {
      const failedBefore = (await audit('auth.login_failed')).length;
      const { browser, formUrl } = await openLoginForm(hub.url);
      const callback = await signInUntilCallback(browser, formUrl, demo.account('regional_manager'));
      const refused = await browser.request(callback);
      assert.equal(refused.status, 403);
      assert.match(refused.headers.get('content-type') ?? '', /text\/html/);
      const page = await refused.text();
      assert.match(page, /data-code="forbidden"/);
      assert.match(page, /disabled/);
      assert.equal(browser.cookies.has('vigil_session'), false);
      const failures = await audit('auth.login_failed');
      assert.equal(failures.length, failedBefore + 1);
      assert.match(JSON.stringify(failures.at(-1)?.after), /disabled/);
    } finally {
      await demo.admin.call('POST', `/v1/users/${target.user.id}/enable`, 200);
    }
  });

  test('logout is a POST: GET shows a page whose form posts; a cross-origin POST keeps the session', async () => {
    const page = await fetch(`${hub.url}/auth/logout`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<form method="post" action="\/auth\/logout">/);
    const browser = await logIn(hub.url, demo.account('store_staff'));
    const forged = await browser.request(`${hub.url}/auth/logout`, { method: 'POST', headers: { origin: 'http://127.0.0.1:1' } });
    assert.equal(forged.status, 403);
    assert.match(await forged.text(), /data-code="cross_origin_refused"/);
    assert.equal((await browser.request(`${hub.url}/auth/me`)).status, 200, 'still signed in');
    const landing = await fetch(`${hub.url}/auth/logged-out`);
    assert.match(await landing.text(), /signed out/);
  });

  test('console and sign-in pages carry CSP with frame-ancestors \'none\', X-Frame-Options, nosniff and Referrer-Policy', async () => {
    const browser = await logIn(hub.url, demo.account('store_staff'));
    const pages = [await browser.request(`${hub.url}/console`), await fetch(`${hub.url}/auth/logout`), await fetch(`${hub.url}/auth/login?returnTo=//evil.example`)];
    for (const response of pages) {
      const csp = response.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'self'/, response.url);
      assert.match(csp, /frame-ancestors 'none'/, response.url);
      assert.equal(response.headers.get('x-frame-options'), 'DENY');
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(response.headers.get('referrer-policy'), 'same-origin');
    }
  });
});
