import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { CHROMIUM, seriousA11yViolations, signIn, startReviewWorld, withScreenshots, type ReviewWorld } from './test-support/review-world.js';

const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent (apt-get install -y chromium)`;

const TYPO = ['mode: replace', 'rules:', '  - action: read', '    subject: Incident', '    conditions:', '      stor_id: x', ''].join('\n');
const BROKEN = ['mode: replace', 'rules:', '  - action: read', '    subject: [Incident', '  - action: update', ''].join('\n');
const FIXED = ['mode: extend', 'rules: []', ''].join('\n');

describe('the policy editor in YAML with inline lint (Debian Chromium)', { skip }, () => {
  let world: ReviewWorld;
  before(async () => {
    world = await startReviewWorld();
  });
  after(() => world?.stop());

  test('an admin edits YAML: the hub\'s problems show under their lines as typed, the save refuses them (and so does the API), a fixed draft saves', async () => {
    const context = await world.browser.newContext({ viewport: { width: 1280, height: 720 } });
    await withScreenshots(context, 'admin edits a policy in YAML', async () => {
      const page = await signIn(world, context, 'lp_admin', '/console/admin/policies/store_staff');
      await page.waitForSelector('body[data-ready=policy]');
      assert.match(await page.inputValue('#policy-text'), /^mode: extend\nrules: \[\]/, 'the editor starts from the saved policy in YAML');

      // Typed, not clicked: the check runs when typing pauses.
      await page.fill('#policy-text', TYPO);
      const typo = page.locator('#policy-inline li[data-line="6"].has-lint .msg');
      await typo.waitFor();
      assert.match((await typo.textContent()) ?? '', /rules\[0\]\.conditions\.stor_id/);
      assert.equal(await page.locator('#policy-inline li.has-lint').count(), 1, 'only the line with the unknown field is marked');
      assert.equal(await page.locator('#policy-lint li[data-path="rules[0].conditions.stor_id"] button').textContent(), 'Line 6');
      assert.equal(await page.getAttribute('#policy-text', 'aria-invalid'), 'true');
      assert.deepEqual(await seriousA11yViolations(page), []);

      await page.fill('#policy-reason', 'typo on purpose');
      await page.click('#policy-save');
      // The status already shows the lint's error before the save: wait for the save's own answer.
      await page.locator('#status[data-kind=error]', { hasText: /Not saved/ }).waitFor();
      assert.equal(await page.locator('#versions tr[data-version]').count(), 0, 'nothing saved');
      const refused = await world.demo.admin.raw('PUT', '/v1/policies/store_staff', {
        body: JSON.stringify({ mode: 'replace', rules: [{ action: 'read', subject: 'Incident', conditions: { stor_id: 'x' } }], reason: 'typo on purpose' }),
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(refused.status, 400, 'the API refuses the draft the lint showed');

      await page.fill('#policy-text', BROKEN);
      const syntax = page.locator('#policy-inline li[data-line="5"].has-lint .msg');
      await syntax.waitFor();
      assert.match((await syntax.textContent()) ?? '', /^problem: not valid YAML/);

      await page.fill('#policy-text', FIXED);
      await page.waitForSelector('#lint-clean');
      assert.equal(await page.locator('#policy-inline li.has-lint').count(), 0);
      assert.equal(await page.getAttribute('#policy-text', 'aria-invalid'), 'false');
      await page.fill('#policy-reason', 'no extra rules');
      await page.click('#policy-save');
      await page.waitForSelector('#versions tr[data-version="1"]');
      const policy = await world.demo.admin.get<{ tenant: { version: number; mode: string; rules: unknown[] } }>('/v1/policies/store_staff');
      assert.deepEqual([policy.tenant.version, policy.tenant.mode, policy.tenant.rules], [1, 'extend', []]);
    });
  });

  test('an admin asks why a person may read an incident: the saved policy allows it by the built-in rule, the draft denies it', async () => {
    const person = await world.demo.admin.post<{ id: string }>('/v1/users', { email: 'explained@example.com', name: 'Explained Person', role: 'store_staff', storeIds: [world.storeA] });
    const context = await world.browser.newContext({ viewport: { width: 1280, height: 720 } });
    await withScreenshots(context, 'admin explains a decision', async () => {
      const page = await signIn(world, context, 'lp_admin', '/console/admin/policies/store_staff');
      await page.waitForSelector('body[data-ready=policy]');
      await page.selectOption('#explain-person', person.id);
      await page.selectOption('#explain-action', 'read');
      await page.selectOption('#explain-subject', 'Incident');
      await page.fill('#explain-id', world.demo.incidents.A);
      await page.fill('#policy-text', ['mode: replace', 'rules: []', ''].join('\n'));
      await page.click('#explain-run');
      await page.waitForSelector('body[data-explained="1"]');
      assert.equal(await page.getAttribute('#explain-saved', 'data-allowed'), 'true');
      assert.match((await page.textContent('#explain-saved')) ?? '', /built-in rules of store_staff/);
      assert.equal(await page.getAttribute('#explain-draft', 'data-allowed'), 'false', 'a replace policy with no rules grants nothing');
      assert.match((await page.textContent('#explain-draft')) ?? '', /No rule of the role grants it/);
      assert.deepEqual(await seriousA11yViolations(page), []);

      await page.fill('#explain-id', world.demo.incidents.C);
      await page.click('#explain-run');
      await page.waitForSelector('body[data-explained="2"]');
      assert.equal(await page.getAttribute('#explain-saved', 'data-allowed'), 'false', 'store C\'s incident is not the person\'s');
      assert.equal((await world.demo.admin.get<{ data: unknown[] }>('/v1/policies/store_staff/versions')).data.length, 1, 'explaining saved nothing (the one version is the first test\'s)');
    });
  });

  test('the check route refuses a session without the policy grant (the API decides)', async () => {
    const context = await world.browser.newContext();
    await withScreenshots(context, 'staff asks the policy check', async () => {
      const page = await signIn(world, context, 'store_staff');
      const status = await page.evaluate(async (url) => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'mode: extend\nrules: []\n' }) })).status, `${world.hub.url}/console/admin/policies/store_staff/check`);
      assert.equal(status, 403);
    });
  });
});
