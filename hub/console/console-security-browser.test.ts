import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { startTestHub, type TestHub } from '../../test/support/hub.js';
import { logIn, seedDemo, type DemoFixture } from '../auth/oidc/test-support/demo-fixture.js';
import { OPEN_REDIRECTS } from '../auth/oidc/test-support/open-redirects.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent (apt-get install -y chromium)`;

describe('sign-in and console security in a real browser (Debian Chromium)', { skip }, () => {
  let hub: TestHub;
  let demo: DemoFixture;
  let browser: Browser;
  let attacker: Server;
  let attackerUrl: string;
  /** The page the "attacker" serves: another origin of the same site (127.0.0.1, another port), so SameSite=Lax cookies ride along. */
  let attackerPage = '';

  before(async () => {
    hub = await startTestHub({ identity: { devIdp: true } });
    demo = await seedDemo(hub);
    attacker = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(attackerPage);
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });
  after(async () => {
    await browser?.close();
    attacker?.close();
    await hub?.stop();
  });

  const signIn = async (context: BrowserContext, role: 'lp_admin' | 'store_staff', returnTo = '/console') => {
    const account = demo.account(role);
    const page = await context.newPage();
    await page.goto(`${hub.url}/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
    await page.waitForURL(/\/idp\/interaction\//, { timeout: 30_000 });
    await page.fill('#email', account.email);
    await page.fill('#password', account.password);
    await page.click('button[type=submit]');
    return page;
  };

  test('returnTo: every open-redirect form stops at a 400 page on the hub; a good path is where the browser lands', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      for (const bad of OPEN_REDIRECTS) {
        const response = await page.goto(`${hub.url}/auth/login?returnTo=${encodeURIComponent(bad)}`);
        assert.equal(response?.status(), 400, bad);
        assert.equal(new URL(page.url()).origin, hub.url, `${bad} left the hub`);
        assert.equal(await page.getAttribute('#reason', 'data-code'), 'validation_failed');
      }
      const landed = await signIn(context, 'store_staff', '/a/../console?view=mine');
      await landed.waitForURL(`${hub.url}/console?view=mine`, { timeout: 30_000 });
      assert.equal(await landed.textContent('#role'), 'store_staff');
    } finally {
      await context.close();
    }
  });

  test('a same-site page\'s auto-submitted form cannot disable a user with the admin\'s cookie; the console itself can', async () => {
    const target = await (await (await logIn(hub.url, demo.account('store_manager'))).request(`${hub.url}/auth/me`)).json() as { user: { id: string } };
    const disabledAt = async () => (await hub.db.knex('users').where({ id: target.user.id }).first<{ disabled_at: Date | null }>())?.disabled_at ?? null;
    const disablePath = `/v1/users/${target.user.id}/disable`;
    const context = await browser.newContext();
    try {
      const consolePage = await signIn(context, 'lp_admin');
      await consolePage.waitForURL(`${hub.url}/console`, { timeout: 30_000 });

      attackerPage = `<!doctype html><form id="f" method="post" action="${hub.url}${disablePath}"></form><script>document.getElementById('f').submit()</script>`;
      const forged = await context.newPage();
      const answered = forged.waitForResponse((r) => r.url() === `${hub.url}${disablePath}`);
      await forged.goto(attackerUrl);
      const response = await answered;
      assert.equal(response.status(), 403);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'cross_origin_refused', 'the cookie was sent (not 401) and the Origin check refused it');

      attackerPage = `<!doctype html><p>x</p>`;
      await forged.goto(attackerUrl);
      const sent = await forged.evaluate(async (url) => {
        await fetch(url, { method: 'POST', credentials: 'include', mode: 'no-cors' });
        return true;
      }, `${hub.url}${disablePath}`);
      assert.equal(sent, true);
      assert.equal(await disabledAt(), null, 'neither the form nor a no-cors fetch changed anything');

      const fromConsole = await consolePage.evaluate(async (path) => (await fetch(path, { method: 'POST' })).status, disablePath);
      assert.equal(fromConsole, 200, 'the hub\'s own page may');
      assert.notEqual(await disabledAt(), null);
      assert.equal(await consolePage.evaluate(async (path) => (await fetch(path, { method: 'POST' })).status, `/v1/users/${target.user.id}/enable`), 200);
    } finally {
      await context.close();
    }
  });

  test('the console is served with CSP frame-ancestors \'none\' and X-Frame-Options DENY, and logout is a POST form', async () => {
    const context = await browser.newContext();
    try {
      const page = await signIn(context, 'store_staff');
      await page.waitForURL(`${hub.url}/console`, { timeout: 30_000 });
      const headers = (await page.goto(`${hub.url}/console`))?.headers() ?? {};
      assert.match(headers['content-security-policy'] ?? '', /frame-ancestors 'none'/);
      assert.equal(headers['x-frame-options'], 'DENY');
      await page.goto(`${hub.url}/auth/logout`);
      await page.click('#logout');
      await page.waitForURL((url) => url.pathname !== '/auth/logout', { timeout: 30_000 });
      const cookies = await context.cookies(hub.url);
      assert.equal(cookies.some((c) => c.name === 'vigil_session'), false, 'signed out');
    } finally {
      await context.close();
    }
  });
});
