import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import type { Browserless } from './test-support/browserless.js';
import { logIn, seedDemo, type DemoFixture } from './test-support/demo-fixture.js';

const MINUTE = 60_000;

describe('console sessions end after 30 idle minutes as well as after their absolute lifetime (injected clock)', () => {
  let hub: TestHub;
  let demo: DemoFixture;
  let clock = Date.parse('2026-11-25T09:00:00Z');
  const advance = (minutes: number) => {
    clock += minutes * MINUTE;
  };

  before(async () => {
    hub = await startTestHub({ identity: { devIdp: true } }, { now: () => new Date(clock) });
    demo = await seedDemo(hub);
  });
  after(() => hub.stop());

  const status = async (browser: Browserless) => (await browser.request(`${hub.url}/v1/incidents`)).status;
  const lastSeen = async (browser: Browserless) => {
    const [, id] = (browser.cookies.get('vigil_session') ?? '').split('.');
    return (await hub.db.knex('sessions').where({ id }).first<{ last_seen_at: Date }>())?.last_seen_at.getTime();
  };

  test('use within 30 minutes keeps the session; 31 minutes without use ends it', async () => {
    const browser = await logIn(hub.url, demo.account('store_staff'));
    const started = clock;
    advance(20);
    assert.equal(await status(browser), 200);
    assert.equal(await lastSeen(browser), started + 20 * MINUTE, 'use moves last-seen');
    advance(0.5);
    assert.equal(await status(browser), 200);
    assert.equal(await lastSeen(browser), started + 20 * MINUTE, 'but at most once a minute');
    advance(29);
    assert.equal(await status(browser), 200, '29.5 minutes since last-seen was written');
    advance(31);
    assert.equal(await status(browser), 401, 'idle for 31 minutes');
    assert.equal((await browser.request(`${hub.url}/auth/me`)).status, 401);
    const [, id] = (browser.cookies.get('vigil_session') ?? '').split('.');
    assert.equal((await browser.request(`${hub.url}/auth/logout`, { method: 'POST', headers: { origin: hub.url } })).status, 303);
    assert.equal(await hub.db.knex('sessions').where({ id }).first(), undefined, 'logout removes an idle session\'s row too');
  });

  test('a session in constant use still ends at its absolute lifetime (8 h)', async () => {
    const browser = await logIn(hub.url, demo.account('auditor'));
    for (let used = 0; used < 8 * 60 - 20; used += 20) {
      advance(20);
      assert.equal(await status(browser), 200, `after ${used + 20} minutes`);
    }
    advance(20);
    assert.equal(await status(browser), 401, 'past 8 hours');
  });
});
