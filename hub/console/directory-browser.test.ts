import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { CHROMIUM, seriousA11yViolations, signIn, startReviewWorld, withScreenshots, type ReviewWorld } from './test-support/review-world.js';

const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent (apt-get install -y chromium)`;

/** Renaming stores, lanes and cameras on the stores page, in Chromium. */
describe('renaming the directory on the stores page (Debian Chromium)', { skip }, () => {
  let world: ReviewWorld;
  let laneId: string;
  let cameraId: string;

  before(async () => {
    world = await startReviewWorld();
    laneId = (await world.demo.admin.post<{ id: string }>('/v1/lanes', { storeId: world.storeC, name: 'Till 1' })).id;
    cameraId = (await world.demo.admin.post<{ id: string }>('/v1/cameras', { storeId: world.storeC, laneId, name: 'Till 1 overhead' })).id;
  });
  after(() => world?.stop());

  /** Opens the rename dialog of `button`, types `name` and saves. */
  async function rename(page: Page, button: string, name: string): Promise<void> {
    await page.click(button);
    await page.waitForSelector('#rename[open]');
    await page.fill('#rename-name', name);
    await page.click('#rename-save');
  }

  test('an admin renames a store, a lane and a camera (an empty name is refused with the API\'s reason)', async () => {
    const context = await world.browser.newContext({ viewport: { width: 1280, height: 720 } });
    await withScreenshots(context, 'admin renames the directory', async () => {
      const page = await signIn(world, context, 'lp_admin', '/console/admin/stores');
      await page.waitForSelector(`section[data-store="${world.storeC}"] button[data-rename="/v1/stores/${world.storeC}"]`);
      assert.deepEqual(await seriousA11yViolations(page), []);
      await rename(page, `button[data-rename="/v1/stores/${world.storeC}"]`, '   ');
      await page.locator('#rename-error', { hasText: /Not renamed: / }).waitFor();
      assert.deepEqual(await seriousA11yViolations(page), [], 'the open dialog passes too');
      await page.fill('#rename-name', 'Demo Store C (Harbour)');
      await Promise.all([page.waitForEvent('load'), page.click('#rename-save')]);
      await page.locator(`section[data-store="${world.storeC}"] h2`, { hasText: 'Demo Store C (Harbour)' }).waitFor();

      await Promise.all([page.waitForEvent('load'), rename(page, `button[data-rename="/v1/lanes/${laneId}"]`, 'Till 1 (express)')]);
      await page.locator(`tr[data-lane="${laneId}"] th`, { hasText: 'Till 1 (express)' }).waitFor();
      await Promise.all([page.waitForEvent('load'), rename(page, `button[data-rename="/v1/cameras/${cameraId}"]`, 'Express overhead')]);
      await page.locator(`tr[data-camera="${cameraId}"] th`, { hasText: 'Express overhead' }).waitFor();

      const [store, lane, camera] = await Promise.all([
        world.demo.admin.get<{ name: string }>(`/v1/stores/${world.storeC}`), world.demo.admin.get<{ name: string }>(`/v1/lanes/${laneId}`), world.demo.admin.get<{ name: string }>(`/v1/cameras/${cameraId}`),
      ]);
      assert.deepEqual([store.name, lane.name, camera.name], ['Demo Store C (Harbour)', 'Till 1 (express)', 'Express overhead']);
    });
  });

  test('an IT integrator may rename lanes and cameras but not stores: the store has no Rename button', async () => {
    const context = await world.browser.newContext();
    await withScreenshots(context, 'integrator renames', async () => {
      const page = await signIn(world, context, 'it_integrator', '/console/admin/stores');
      await page.waitForSelector(`button[data-rename="/v1/lanes/${laneId}"]`);
      assert.equal(await page.locator('button[data-rename^="/v1/stores/"]').count(), 0);
      assert.equal(await page.locator(`button[data-rename="/v1/cameras/${cameraId}"]`).count(), 1);
      assert.deepEqual(await seriousA11yViolations(page), []);
    });
  });
});
