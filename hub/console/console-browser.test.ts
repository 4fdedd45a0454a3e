import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { seedDemo, type DemoFixture } from '../auth/oidc/test-support/demo-fixture.js';
import { startTestHub, type TestHub } from '../../test/support/hub.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent (apt-get install -y chromium)`;

describe('console in a real browser (Debian Chromium): each seeded user sees what the role allows', { skip }, () => {
  let hub: TestHub;
  let demo: DemoFixture;
  let browser: Browser;

  before(async () => {
    hub = await startTestHub({ identity: { devIdp: true } });
    demo = await seedDemo(hub);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  after(async () => {
    await browser?.close();
    await hub?.stop();
  });

  const loginAndReadConsole = async (role: 'store_staff' | 'central_reviewer') => {
    const account = demo.account(role);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${hub.url}/console`);
      await page.waitForURL(/\/idp\/interaction\//, { timeout: 30_000 });
      await page.fill('#email', account.email);
      await page.fill('#password', account.password);
      await page.click('button[type=submit]');
      await page.waitForURL(`${hub.url}/console`, { timeout: 30_000 });
      const shownRole = await page.textContent('#role');
      const rows = await page.$$eval('#incidents tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-incident') ?? ''));
      const cookies = await context.cookies(hub.url);
      return { shownRole, rows: rows.sort(), session: cookies.find((c) => c.name === 'vigil_session') };
    } finally {
      await context.close();
    }
  };

  test('store staff of store A log in through the provider\'s page and see only store A\'s incident', async () => {
    const { shownRole, rows, session } = await loginAndReadConsole('store_staff');
    assert.equal(shownRole, 'store_staff');
    assert.deepEqual(rows, [demo.incidents.A]);
    assert.ok(session?.httpOnly, 'the session cookie is httpOnly');
    assert.equal(session?.sameSite, 'Lax');
  });

  test('a VMS alarm\'s link opens its incident after the login; another store\'s incident stays out of reach', async () => {
    const account = demo.account('store_staff');
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${hub.url}/console/events/${demo.events.A}`);
      await page.waitForURL(/\/idp\/interaction\//, { timeout: 30_000 });
      await page.fill('#email', account.email);
      await page.fill('#password', account.password);
      await page.click('button[type=submit]');
      await page.waitForURL(`${hub.url}/console/incidents/${demo.incidents.A}`, { timeout: 30_000 });
      assert.equal(await page.getAttribute('#incident', 'data-incident'), demo.incidents.A);
      assert.equal(await page.textContent('[data-field=state]'), 'new');
      const other = await page.goto(`${hub.url}/console/incidents/${demo.incidents.C}`);
      assert.equal(other?.status(), 404);
      await page.goto(`${hub.url}/console/events/${demo.events.C}`);
      assert.equal(page.url(), `${hub.url}/console/events/${demo.events.C}`, 'no redirect to an incident the viewer may not see');
      assert.ok((await page.textContent('#pending'))?.includes('not yours to see'));
      const malformed = await page.goto(`${hub.url}/console/events/not-an-id`);
      assert.equal(malformed?.status(), 404);
    } finally {
      await context.close();
    }
  });

  test('a central reviewer sees the incidents of every store of the tenant', async () => {
    const { shownRole, rows } = await loginAndReadConsole('central_reviewer');
    assert.equal(shownRole, 'central_reviewer');
    assert.deepEqual(rows, [demo.incidents.A, demo.incidents.C].sort());
  });
});
