import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import { Browserless, loginFormAction } from './test-support/browserless.js';
import { logIn, openLoginForm, seedDemo, signInUntilCallback, type DemoFixture } from './test-support/demo-fixture.js';

describe('OpenID Connect login against the built-in provider, over HTTP', () => {
  let hub: TestHub;
  let demo: DemoFixture;

  before(async () => {
    hub = await startTestHub({ identity: { devIdp: true } });
    demo = await seedDemo(hub);
  });
  after(() => hub.stop());

  const incidentsSeenBy = async (browser: Browserless): Promise<string[]> => {
    const response = await browser.request(`${hub.url}/v1/incidents`);
    assert.equal(response.status, 200, await response.clone().text());
    return ((await response.json()) as { data: Array<{ id: string }> }).data.map((i) => i.id).sort();
  };

  const sessionCount = async (): Promise<number> => {
    const rows = await hub.db.knex('sessions').count<Array<{ count: string | number }>>('* as count');
    return Number(rows[0]?.count ?? 0);
  };

  test('store staff log in with the code flow (PKCE S256, state, nonce) and the session reads only store A from /v1/incidents', async () => {
    const browser = new Browserless();
    const start = await browser.request(`${hub.url}/auth/login?returnTo=/console`);
    assert.equal(start.status, 302);
    const authorize = new URL(start.headers.get('location') ?? '');
    assert.equal(authorize.origin + authorize.pathname, `${demo.devIdp.issuer}/auth`);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    for (const p of ['code_challenge', 'state', 'nonce']) assert.ok((authorize.searchParams.get(p) ?? '').length >= 32, `${p} is missing or short`);
    assert.equal(authorize.searchParams.get('redirect_uri'), `${hub.url}/auth/callback`);
    const { formUrl } = await openLoginForm(hub.url, browser);
    const callback = await signInUntilCallback(browser, formUrl, demo.account('store_staff'));
    const landed = await browser.request(callback);
    assert.equal(landed.status, 302);
    assert.equal(landed.headers.get('location'), '/console');
    const cookie = landed.headers.getSetCookie().find((c) => c.startsWith('vigil_session='));
    assert.ok(cookie, 'no session cookie');
    assert.match(cookie, /httponly/i);
    assert.match(cookie, /samesite=lax/i);
    assert.doesNotMatch(cookie, /;\s*secure/i, 'Secure is for https hubs; this one is plain http');
    const me = (await (await browser.request(`${hub.url}/auth/me`)).json()) as { role: string; storeIds: string[]; user: { email: string } };
    assert.equal(me.role, 'store_staff');
    assert.deepEqual(me.storeIds, [demo.devIdp.directory.stores.A001]);
    assert.equal(me.user.email, demo.account('store_staff').email);
    assert.deepEqual(await incidentsSeenBy(browser), [demo.incidents.A]);
    const other = await browser.request(`${hub.url}/v1/incidents/${demo.incidents.C}`);
    assert.equal(other.status, 404);
  });

  test('a central reviewer and a regional manager see what their role allows', async () => {
    const reviewer = await logIn(hub.url, demo.account('central_reviewer'));
    assert.deepEqual(await incidentsSeenBy(reviewer), [demo.incidents.A, demo.incidents.C].sort());
    const north = await logIn(hub.url, demo.account('regional_manager'));
    assert.deepEqual(await incidentsSeenBy(north), [demo.incidents.A], 'store C is in the South region');
  });

  test('only a hash of the session secret is stored, and a forged secret is refused', async () => {
    const browser = await logIn(hub.url, demo.account('auditor'));
    const value = browser.cookies.get('vigil_session') ?? '';
    const [tenantId, sessionId, secret] = value.split('.');
    const row = await hub.db.knex('sessions').where({ tenant_id: tenantId, id: sessionId }).first<{ secret_hash: string }>();
    assert.ok(row);
    assert.notEqual(row.secret_hash, secret);
    assert.doesNotMatch(JSON.stringify(row), new RegExp(secret ?? 'x'));
    browser.cookies.set('vigil_session', `${tenantId}.${sessionId}.${'A'.repeat(43)}`);
    const refused = await browser.request(`${hub.url}/v1/incidents`);
    assert.equal(refused.status, 401);
  });

  test('logout deletes the session and sends the browser to the provider\'s end_session_endpoint', async () => {
    const browser = await logIn(hub.url, demo.account('store_manager'));
    const stolen = browser.cookies.get('vigil_session') ?? '';
    const before = await sessionCount();
    const out = await browser.request(`${hub.url}/auth/logout`, { method: 'POST', headers: { origin: hub.url } });
    assert.equal(out.status, 303);
    const location = new URL(out.headers.get('location') ?? '');
    assert.equal(location.origin + location.pathname, `${demo.devIdp.issuer}/session/end`);
    assert.ok(location.searchParams.get('id_token_hint'), 'RP-initiated logout names the ID token');
    assert.equal(location.searchParams.get('post_logout_redirect_uri'), `${hub.url}/`);
    assert.equal(await sessionCount(), before - 1);
    assert.equal(browser.cookies.has('vigil_session'), false, 'the cookie is cleared');
    browser.cookies.set('vigil_session', stolen);
    assert.equal((await browser.request(`${hub.url}/v1/incidents`)).status, 401, 'a copied cookie dies with the session');
    assert.equal((await browser.request(`${hub.url}/auth/me`)).status, 401);
  });

  test('returnTo must be a path on the hub', async () => {
    for (const bad of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
      const response = await fetch(`${hub.url}/auth/login?returnTo=${encodeURIComponent(bad)}`, { redirect: 'manual' });
      assert.equal(response.status, 400, bad);
    }
  });

  test('a wrong password stays on the provider\'s login page', async () => {
    const { browser, formUrl } = await openLoginForm(hub.url);
    const response = await browser.request(formUrl, { form: { email: demo.account('lp_admin').email, password: 'not-the-password' } });
    assert.equal(response.status, 401);
    assert.match(await response.text(), /Wrong e-mail or password/);
  });

  test('state mismatch fails closed: a callback from another browser, or with a changed state, makes no session', async () => {
    const victim = new Browserless();
    const attacker = (await openLoginForm(hub.url)).browser;
    const { formUrl } = await openLoginForm(hub.url, victim);
    const callback = await signInUntilCallback(victim, formUrl, demo.account('lp_admin'));
    const before = await sessionCount();
    const planted = await attacker.request(callback);
    assert.equal(planted.status, 401);
    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${tampered.searchParams.get('state')}x`);
    const changed = await victim.request(tampered.href);
    assert.equal(changed.status, 401);
    assert.equal(await sessionCount(), before);
    assert.equal(planted.headers.getSetCookie().some((c) => c.startsWith('vigil_session=') && !c.startsWith('vigil_session=;')), false);
  });

  test('bad nonce fails closed: an ID token minted for another nonce is refused at the callback', async () => {
    const browser = new Browserless();
    const start = await browser.request(`${hub.url}/auth/login?returnTo=/console`);
    const authorize = new URL(start.headers.get('location') ?? '');
    authorize.searchParams.set('nonce', 'a-nonce-the-hub-never-issued-0123456789abcdef');
    const page = await browser.follow(authorize.href);
    const action = loginFormAction(await page.response.text(), page.url);
    const callback = await signInUntilCallback(browser, action, demo.account('lp_admin'));
    const before = await sessionCount();
    const response = await browser.request(callback);
    assert.equal(response.status, 401);
    assert.match(await response.text(), /nonce/i);
    assert.equal(await sessionCount(), before);
  });

  test('replayed authorization code fails closed, even with its pending login put back', async () => {
    const { browser, formUrl } = await openLoginForm(hub.url);
    const callback = await signInUntilCallback(browser, formUrl, demo.account('it_integrator'));
    const pending = await hub.db.knex('oidc_logins').select('*');
    const stateCookie = browser.cookies.get('vigil_login_state') ?? '';
    assert.equal((await browser.request(callback)).status, 302, 'the first use logs in');
    const before = await sessionCount();
    browser.cookies.set('vigil_login_state', stateCookie);
    assert.equal((await browser.request(callback)).status, 401, 'the pending login was consumed');
    // Put the pending login back (as if two hub processes raced): the provider itself must refuse the used code.
    await hub.db.knex('oidc_logins').insert(pending).onConflict('state_hash').ignore();
    browser.cookies.set('vigil_login_state', stateCookie);
    const replay = await browser.request(callback);
    assert.equal(replay.status, 401);
    assert.match(await replay.text(), /invalid_grant|grant/i);
    assert.equal(await sessionCount(), before);
  });
});
