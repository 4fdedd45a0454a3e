import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { CHROMIUM, seriousA11yViolations, signIn, startReviewWorld, withScreenshots, type ReviewWorld } from './test-support/review-world.js';

const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent (apt-get install -y chromium)`;

interface HoldPage { data: Array<{ id: string; targetId: string; reason: string; placedBy: string }> }

describe('legal hold and export in a real browser (Debian Chromium)', { skip }, () => {
  let world: ReviewWorld;
  const activeHolds = (incidentId: string) => world.demo.admin.get<HoldPage>(`/v1/evidence/holds?targetId=${incidentId}`);

  before(async () => {
    world = await startReviewWorld();
  });
  after(() => world?.stop());

  test('an lp_admin places a legal hold from the incident page, sees it after a reload, exports a bundle and downloads it, and releases the hold', async () => {
    const context = await world.browser.newContext();
    await withScreenshots(context, 'admin legal hold and export', async () => {
      const incidentId = world.clipped.incidentId;
      const page = await signIn(world, context, 'lp_admin', `/console/incidents/${incidentId}`);
      await page.waitForSelector('body[data-ready=true]');
      assert.equal(await page.getAttribute('#hold-state', 'data-hold'), 'none');
      await page.click('#hold-place');
      await page.fill('#hold-reason', 'Police request 2026/4471');
      await page.click('#hold-form button[value=hold]');
      await page.locator('#hold-state:has-text("On legal hold")').waitFor();
      const [hold] = (await activeHolds(incidentId)).data;
      assert.equal(hold?.reason, 'Police request 2026/4471', 'the API lists the hold placed from the page');
      assert.equal(await page.getAttribute('#hold-state', 'data-hold'), hold.id);

      await page.reload();
      await page.waitForSelector('body[data-ready=true]');
      assert.match((await page.textContent('#hold-state')) ?? '', /On legal hold .* Police request 2026\/4471/);
      assert.equal(await page.getAttribute('#hold-release', 'data-release'), hold.id, 'the server-rendered page shows the hold and its release');
      assert.deepEqual(await seriousA11yViolations(page), []);

      await page.waitForSelector('#no-exports');
      await page.fill('#x-caseNumber', 'CR-4471');
      await page.click('#export-form button[type=submit]');
      const link = page.locator('#export-link');
      await link.waitFor({ timeout: 60_000 });
      const download = await context.request.get(new URL((await link.getAttribute('href')) ?? '', world.hub.url).toString());
      assert.equal(download.status(), 200);
      assert.equal((await download.body()).subarray(0, 2).toString('latin1'), 'PK', 'the link serves the ZIP bundle');
      const audit = await world.demo.admin.get<{ data: Array<{ action: string; after: { caseNumber?: string } }> }>(`/v1/audit?subjectType=Incident&subjectId=${incidentId}&action=incident.exported`);
      assert.equal(audit.data[0]?.after.caseNumber, 'CR-4471', 'the export is audited with its case number');
      const exported = page.locator('#exports tbody tr', { hasText: 'CR-4471' });
      await exported.waitFor();
      const exportId = (await exported.getAttribute('data-export')) ?? '';
      assert.match((await link.textContent()) ?? '', new RegExp(exportId), 'the list names the bundle just exported');
      await page.reload();
      await page.waitForSelector('body[data-ready=true]');
      assert.match((await page.textContent(`#exports tr[data-export="${exportId}"]`)) ?? '', /redacted.*CR-4471/s, 'the server-rendered page lists it too');
      assert.deepEqual(await seriousA11yViolations(page), []);

      await page.click('#hold-release');
      await page.waitForSelector('#hold-state[data-hold=none]');
      assert.deepEqual((await activeHolds(incidentId)).data, [], 'the release reached the API');
    });
  });

  test('store staff see the hold on their store\'s incident but no button to place or release one', async () => {
    const incidentId = world.demo.incidents.A;
    await world.demo.admin.post('/v1/evidence/holds', { targetType: 'incident', targetId: incidentId, reason: 'Insurance claim 88' });
    const context = await world.browser.newContext();
    await withScreenshots(context, 'store staff hold', async () => {
      const page = await signIn(world, context, 'store_staff', `/console/incidents/${incidentId}`);
      await page.waitForSelector('body[data-ready=true]');
      assert.match((await page.textContent('#hold-state')) ?? '', /On legal hold .* Insurance claim 88/);
      assert.equal(await page.locator('#hold-place, #hold-release, #hold').count(), 0, 'no hold control for store staff');
      assert.equal(await page.locator('#x-original').count(), 0, 'no unredacted export without the unredact permission');
    });
  });

  test('an lp_admin sees the active holds on the retention page and releases one there', async () => {
    const incidentId = world.demo.incidents.A;
    const [hold] = (await activeHolds(incidentId)).data;
    assert.ok(hold, 'the previous test left a hold on incident A');
    const context = await world.browser.newContext();
    await withScreenshots(context, 'admin releases a hold on the retention page', async () => {
      const page = await signIn(world, context, 'lp_admin', '/console/admin/retention');
      await page.waitForSelector('body[data-ready=retention]');
      const row = page.locator(`#holds tr[data-hold="${hold.id}"]`);
      assert.match((await row.textContent()) ?? '', /Incident .*Demo Store A \(A001\).*Insurance claim 88/s);
      assert.equal(await row.locator('a').getAttribute('href'), `/console/incidents/${incidentId}`);
      assert.deepEqual(await seriousA11yViolations(page), []);
      await row.locator('button[data-release]').click();
      await page.waitForSelector(`#holds tr[data-hold="${hold.id}"]`, { state: 'detached' });
      assert.deepEqual((await activeHolds(incidentId)).data, []);
    });
  });
});
