import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { reviewBayIncidents, storeWithBayHits } from '../../test/support/tuning-fixture.js';
import { CHROMIUM, seriousA11yViolations, signIn, startReviewWorld, withScreenshots, type ReviewWorld } from './test-support/review-world.js';

const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent (apt-get install -y chromium)`;

describe('threshold tuning in a real browser (Debian Chromium)', { skip }, () => {
  let world: ReviewWorld;
  let storeId: string;

  before(async () => {
    world = await startReviewWorld();
    const seeded = await storeWithBayHits(world.demo.admin, Date.now() - 3 * 3600_000);
    storeId = seeded.storeId;
    await reviewBayIncidents(world.demo.admin, seeded.incidents);
  });
  after(() => world?.stop());

  test('an admin reads the verdicts, accepts the proposed minConfidence, and the store\'s rules carry it', async () => {
    const context = await world.browser.newContext({ viewport: { width: 1280, height: 720 } });
    await withScreenshots(context, 'admin accepts a tuning proposal', async () => {
      const path = `/console/admin/tuning?storeId=${storeId}`;
      const page = await signIn(world, context, 'lp_admin', path);
      await page.waitForSelector('body[data-ready="tuning"]');
      const card = page.locator('article.rule-tuning[data-rule="Bay dwell"]');
      assert.match((await card.locator('h3').first().textContent()) ?? '', /Last 30 days/);
      assert.match((await card.textContent()) ?? '', /not a person \(4\)/);
      assert.equal(await card.locator('.proposal h3').textContent(), 'Proposed: minConfidence 0.56');
      assert.match((await card.locator('.proposal p').first().textContent()) ?? '', /6 incidents instead of 10, kept 6 of 6 verified ones\s+and dropped 4 dismissed ones/);
      assert.deepEqual(await seriousA11yViolations(page), []);
      await card.locator('input[name=reason]').fill('four false walk-ins a week');
      await Promise.all([page.waitForEvent('load'), card.locator('button[value=accept]').click()]);
      await page.waitForSelector('body[data-ready="tuning"]');
      await page.waitForFunction(() => ((globalThis as unknown as { document: { getElementById(id: string): { textContent: string | null } | null } }).document.getElementById('status')?.textContent ?? '').includes('minConfidence 0.56'));
      assert.match((await page.locator('article.rule-tuning h2 .sub').textContent()) ?? '', /minConfidence 0\.56/);
      assert.equal(await page.locator('[data-no-proposal]').count(), 1, 'nothing left to propose');
      const rules = await world.demo.admin.get<{ version: number; rules: Array<{ settings: Record<string, unknown> }> }>(`/v1/stores/${storeId}/rules`);
      assert.deepEqual([rules.version, rules.rules[0]?.settings.minConfidence], [2, 0.56]);
    });
  });

  test('a reviewer has no tuning link and gets the refusal page', async () => {
    const context = await world.browser.newContext();
    await withScreenshots(context, 'reviewer refused tuning', async () => {
      const page = await signIn(world, context, 'central_reviewer');
      assert.equal(await page.locator('header nav a[href="/console/admin/tuning"]').count(), 0);
      const response = await page.goto(`${world.hub.url}/console/admin/tuning?storeId=${storeId}`);
      assert.equal(response?.status(), 403);
    });
  });
});
