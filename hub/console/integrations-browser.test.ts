import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { CHROMIUM, seriousA11yViolations, signIn, startReviewWorld, withScreenshots, type ReviewWorld } from './test-support/review-world.js';

const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent (apt-get install -y chromium)`;

/** The service identities on the users page and ServiceNow endpoints on the webhooks page, in Chromium. */
describe('integrations in the console: service identities and ServiceNow endpoints (Debian Chromium)', { skip }, () => {
  let world: ReviewWorld;
  /** Answers 200 for a token the hub accepts, 401 for one it refuses. */
  const tokenStatus = async (token: string) => (await world.demo.admin.as(token).raw('GET', '/v1/session/permissions')).status;

  before(async () => {
    world = await startReviewWorld();
  });
  after(() => world?.stop());

  test('an admin registers a plugin installation (no store is refused with the API\'s reason), sees its token once, rotates it, moves it to another store and disables it', async () => {
    const context = await world.browser.newContext({ viewport: { width: 1280, height: 720 } });
    await withScreenshots(context, 'admin registers a service identity', async () => {
      const page = await signIn(world, context, 'lp_admin', '/console/admin/people');
      await page.waitForSelector('body[data-ready=people]');
      await page.fill('#si-name', 'Store A till cameras');
      await page.click('#si-create');
      await page.locator('#status[data-kind=error]', { hasText: /Not registered: / }).waitFor();
      await page.check(`#si-store-${world.storeA}`);
      await page.click('#si-create');
      await page.waitForSelector('#si-token-box:not([hidden])');
      const id = (await page.getAttribute('body', 'data-created')) ?? '';
      const first = (await page.textContent('#si-token')) ?? '';
      assert.match(first, /^vgl_/);
      assert.equal(await tokenStatus(first), 200, 'the token shown is the plugin\'s');
      const identity = await world.demo.admin.get<{ name: string; storeIds: string[]; tokens: unknown[] }>(`/v1/service-identities/${id}`);
      assert.deepEqual([identity.name, identity.storeIds, identity.tokens.length], ['Store A till cameras', [world.storeA], 1]);
      assert.deepEqual(await seriousA11yViolations(page), []);

      await page.reload();
      await page.waitForSelector('body[data-ready=people]');
      assert.equal(await page.isHidden('#si-token-box'), true, 'a reload does not show the token again');
      assert.equal((await page.content()).includes(first), false);
      const row = page.locator(`#identities tr[data-identity="${id}"]`);
      await page.fill('#si-grace', '0');
      await row.locator('button[data-identity-action=rotate]').click();
      await page.waitForSelector(`body[data-rotated="${id}"]`);
      const second = (await page.textContent('#si-token')) ?? '';
      assert.match(second, /^vgl_/);
      assert.notEqual(second, first);
      assert.deepEqual([await tokenStatus(second), await tokenStatus(first)], [200, 401], 'with no grace the old token ends at once');

      await page.selectOption('#ss-identity', id);
      assert.equal(await page.isChecked(`#ss-store-${world.storeA}`), true, 'the form shows the identity\'s stores');
      await page.uncheck(`#ss-store-${world.storeA}`);
      await page.click('#ss-save');
      await page.locator('#status[data-kind=error]', { hasText: /Not saved: / }).waitFor();
      await page.check(`#ss-store-${world.storeC}`);
      await page.click('#ss-save');
      await page.waitForSelector(`body[data-stores-saved="${id}"]`);
      assert.match((await row.locator('.stores-cell').textContent()) ?? '', /Demo Store C/);
      assert.deepEqual((await world.demo.admin.get<{ storeIds: string[] }>(`/v1/service-identities/${id}`)).storeIds, [world.storeC]);

      await row.locator('button[data-identity-action=disable]').click();
      await page.waitForSelector(`#identities tr[data-identity="${id}"][data-disabled=true]`);
      assert.match((await row.locator('.state-cell').textContent()) ?? '', /^disabled /);
      assert.equal(await tokenStatus(second), 401, 'disabling revokes its tokens');
      assert.equal(await page.textContent('#si-token'), second, 'the token just shown stays on the page');
      assert.equal(await row.locator('button[data-identity-action=rotate]').isHidden(), true);
      await row.locator('button[data-identity-action=enable]').click();
      await page.waitForSelector(`#identities tr[data-identity="${id}"][data-disabled=false]`);
      assert.equal((await world.demo.admin.get<{ disabledAt: string | null }>(`/v1/service-identities/${id}`)).disabledAt, null);
      const audit = await world.demo.admin.get<{ data: Array<{ action: string }> }>(`/v1/audit?subjectType=ServiceIdentity&subjectId=${id}`);
      assert.deepEqual(audit.data.map((r) => r.action).sort(), ['service_identity.created', 'service_identity.token_rotated', 'service_identity.updated', 'service_identity.updated', 'service_identity.updated']);
      assert.deepEqual(await seriousA11yViolations(page), []);
    });
  });

  test('an auditor reads the service identities without any control; an IT integrator registers them but sees no users', async () => {
    await world.demo.admin.post('/v1/service-identities', { name: 'Store C plugin', storeIds: [world.storeC] });
    const auditor = await world.browser.newContext();
    await withScreenshots(auditor, 'auditor reads service identities', async () => {
      const page = await signIn(world, auditor, 'auditor', '/console/admin/people');
      await page.waitForSelector('body[data-ready=people]');
      await page.locator('#identities tbody tr', { hasText: 'Store C plugin' }).waitFor();
      assert.equal(await page.locator('#identity-new, #identity-stores, #si-grace, #si-token-box, button[data-identity-action], #users').count(), 0);
      assert.deepEqual(await seriousA11yViolations(page), []);
    });
    const integrator = await world.browser.newContext();
    await withScreenshots(integrator, 'integrator service identities', async () => {
      const page = await signIn(world, integrator, 'it_integrator', '/console/admin/people');
      await page.waitForSelector('body[data-ready=people]');
      assert.equal(await page.locator('#users, #person-new').count(), 0);
      assert.equal(await page.locator('#identity-new').count(), 1);
      assert.ok(await page.locator('#identities button[data-identity-action=rotate]').count() >= 1);
    });
  });

  test('an admin creates a ServiceNow endpoint with the instance\'s credentials and replaces them on its page; no page, answer or audit record shows them again', async () => {
    const password = 'sn-Password-4711';
    const context = await world.browser.newContext({ viewport: { width: 1280, height: 720 } });
    await withScreenshots(context, 'admin creates a servicenow endpoint', async () => {
      const page = await signIn(world, context, 'lp_admin', '/console/admin/webhooks');
      await page.waitForSelector('#webhook-create');
      assert.equal(await page.isHidden('#n-servicenow'), true, 'the ServiceNow settings appear for that format only');
      await page.fill('#n-url', 'https://vigil-dev.service-now.example.test');
      await page.fill('#n-description', 'ServiceNow incidents');
      await page.selectOption('#n-format', 'servicenow');
      await page.waitForSelector('#n-servicenow:not([hidden])');
      await page.fill('#n-sn-username', 'vigil.integration');
      await page.click('#n-create');
      await page.locator('#status[data-kind=error]', { hasText: /Not created: / }).waitFor();
      await page.fill('#n-sn-password', password);
      assert.deepEqual(await seriousA11yViolations(page), []);
      await page.click('#n-create');
      await page.waitForSelector('#n-created:not([hidden])');
      assert.equal(await page.inputValue('#n-sn-password'), '', 'the page forgets the password once sent');
      const id = (await page.getAttribute('body', 'data-created')) ?? '';
      const endpoint = await world.demo.admin.get<{ url: string; format: string }>(`/v1/webhooks/${id}`);
      assert.deepEqual([endpoint.url, endpoint.format], ['https://vigil-dev.service-now.example.test', 'servicenow']);
      const answers = [endpoint, await world.demo.admin.get('/v1/webhooks?limit=200'), await world.demo.admin.get(`/v1/audit?subjectType=Webhook&subjectId=${id}`)];
      for (const answer of answers) assert.equal(JSON.stringify(answer).includes(password), false);
      const stored = await world.hub.db.knex('webhook_endpoints').where({ id }).first<{ config: unknown } | undefined>('config');
      assert.ok(stored && JSON.stringify(stored.config).includes('vigil.integration'), 'the settings are stored');
      assert.equal(JSON.stringify(stored.config).includes(password), false, 'the password is stored sealed');

      await page.click('#n-open');
      await page.waitForSelector('body[data-ready=webhooks]');
      assert.match((await page.textContent('#webhook-summary')) ?? '', /servicenow/);
      assert.equal((await page.content()).includes(password), false, 'the endpoint page does not echo the password');
      assert.equal(await page.inputValue('#w-sn-password'), '', 'the credentials form starts empty');
      const replacement = 'sn-Replaced-9911';
      await page.selectOption('#w-sn-auth', 'bearer');
      await page.waitForSelector('#w-sn-token');
      await page.click('#w-sn-save');
      await page.locator('#status[data-kind=error]', { hasText: /Not replaced: / }).waitFor();
      await page.fill('#w-sn-token', replacement);
      await page.click('#w-sn-save');
      await page.waitForSelector('body[data-settings-done=credentials]');
      assert.equal(await page.inputValue('#w-sn-token'), '', 'the page forgets the token once sent');
      const replaced = await world.hub.db.knex('webhook_endpoints').where({ id }).first<{ config: { servicenow: { table: string; auth: { type: string; token?: string } } } }>('config');
      assert.deepEqual([replaced.config.servicenow.table, replaced.config.servicenow.auth.type], ['incident', 'bearer'], 'the credentials changed, the table stayed');
      assert.notEqual(replaced.config.servicenow.auth.token, replacement, 'stored sealed');
      const audited = await world.demo.admin.get(`/v1/audit?subjectType=Webhook&subjectId=${id}`);
      assert.equal(JSON.stringify(audited).includes(replacement), false);
      assert.match(JSON.stringify(audited), /servicenowCredentialsReplaced/);
      assert.deepEqual(await seriousA11yViolations(page), []);
      await page.goto(`${world.hub.url}/console/admin/webhooks`);
      await page.locator(`#webhooks tr[data-webhook="${id}"]`).waitFor();
      assert.equal((await page.content()).includes(password), false);
      await world.demo.admin.patch(`/v1/webhooks/${id}`, { enabled: false });

      const standard = await world.demo.admin.post<{ id: string }>('/v1/webhooks', { url: 'https://receiver.example.test/plain', eventTypes: ['incident.created'], enabled: false });
      await page.goto(`${world.hub.url}/console/admin/webhooks/${standard.id}`);
      await page.waitForSelector('body[data-ready=webhooks]');
      assert.equal(await page.locator('#webhook-servicenow').count(), 0, 'no ServiceNow credentials on a standard endpoint');
    });
  });
});
