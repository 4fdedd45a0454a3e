import assert from 'node:assert/strict';
import { ApiClient } from '../../../../test/support/api-client.js';
import { buildEvent } from '../../../../test/support/factories.js';
import type { TestHub } from '../../../../test/support/hub.js';
import type { DevAccount, DevIdp } from '../../../dev-idp/index.js';
import { mintApiToken } from '../../api-tokens.js';
import { inTenant } from '../tenant-transaction.js';
import { Browserless, loginFormAction } from './browserless.js';

export interface DemoFixture {
  devIdp: DevIdp;
  /** lp_admin of the demo tenant (an API token). */
  admin: ApiClient;
  account(role: DevAccount['role']): DevAccount;
  cameras: { A: string; C: string };
  incidents: { A: string; C: string };
  /** The detection events that opened them (what a VMS alarm's link names). */
  events: { A: string; C: string };
}

/** The dev provider's demo tenant with a camera and one incident in store A (North) and store C (South). */
export async function seedDemo(hub: TestHub): Promise<DemoFixture> {
  const devIdp = hub.running.identity.devIdp;
  assert.ok(devIdp, 'the hub was started without the dev IdP');
  const { tenantId, stores } = devIdp.directory;
  const mint = (role: 'lp_admin' | 'plugin', storeIds: string[] = []) =>
    inTenant(hub.db.knex, tenantId, async (trx) => (await mintApiToken(trx, { tenantId, role, name: `test ${role}`, storeIds, createdBy: 'test' })).token);
  const admin = new ApiClient(hub.url, await mint('lp_admin'));
  const storeA = stores.A001 as string;
  const storeC = stores.C001 as string;
  const camA = await admin.post<{ id: string }>('/v1/cameras', { storeId: storeA, name: 'Lane 1' });
  const camC = await admin.post<{ id: string }>('/v1/cameras', { storeId: storeC, name: 'Lane 9' });
  const plugin = admin.as(await mint('plugin', [storeA, storeC]));
  const events = [buildEvent({ cameraId: camA.id, storeId: storeA }), buildEvent({ cameraId: camC.id, storeId: storeC })];
  const ingest = await plugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events }, 200);
  const account = (role: DevAccount['role']) => {
    const found = devIdp.accounts.find((a) => a.role === role);
    assert.ok(found, `no seeded ${role}`);
    return found;
  };
  return {
    devIdp, admin, account,
    cameras: { A: camA.id, C: camC.id },
    events: { A: events[0]!.id, C: events[1]!.id },
    incidents: { A: ingest.results[0]?.incidentId as string, C: ingest.results[1]?.incidentId as string },
  };
}

/** Drives the code flow up to the provider's login form; returns the browser and the form's URL. */
export async function openLoginForm(hubUrl: string, browser = new Browserless(), returnTo = '/console'): Promise<{ browser: Browserless; formUrl: string; html: string }> {
  const page = await browser.follow(`${hubUrl}/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  assert.equal(page.response.status, 200, `expected the login form at ${page.url}`);
  const html = await page.response.text();
  return { browser, formUrl: loginFormAction(html, page.url), html };
}

/** Posts the login form and follows the flow until the hub's callback URL, without calling it. */
export async function signInUntilCallback(browser: Browserless, formUrl: string, account: DevAccount): Promise<string> {
  const result = await browser.follow(formUrl, (next) => next.pathname === '/auth/callback', { form: { email: account.email, password: account.password } });
  assert.match(result.url, /\/auth\/callback\?/, `the flow did not reach the callback: ${result.url} ${result.response.status}`);
  return result.url;
}

/** A full browser-less login; returns the browser holding the session cookie. */
export async function logIn(hubUrl: string, account: DevAccount): Promise<Browserless> {
  const { browser, formUrl } = await openLoginForm(hubUrl);
  const callback = await signInUntilCallback(browser, formUrl, account);
  const landed = await browser.request(callback);
  assert.equal(landed.status, 302, `callback answered ${landed.status}: ${await landed.text()}`);
  assert.equal(landed.headers.get('location'), '/console');
  return browser;
}
