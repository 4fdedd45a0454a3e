import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { CHROMIUM, signIn, startReviewWorld, withScreenshots, type ReviewWorld } from './test-support/review-world.js';

const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent (apt-get install -y chromium)`;

interface CameraBody { zones: Array<{ name: string }> }

describe('the zone editor saves with If-Match (Debian Chromium)', { skip }, () => {
  let world: ReviewWorld;
  before(async () => {
    world = await startReviewWorld();
  });
  after(() => world?.stop());

  test('a change made elsewhere after the page loaded is not overwritten: the save is refused; after a reload it saves', async () => {
    const cameraId = world.demo.cameras.A;
    const context = await world.browser.newContext({ viewport: { width: 1280, height: 720 } });
    await withScreenshots(context, 'zone editor if-match', async () => {
      const page = await signIn(world, context, 'lp_admin', `/console/admin/cameras/${cameraId}`);
      await page.waitForSelector('body[data-ready=zones]');
      await world.demo.admin.patch(`/v1/cameras/${cameraId}`, { zones: [{ name: 'saved elsewhere', type: 'exit', polygon: [[0.1, 0.1], [0.3, 0.1], [0.3, 0.3]] }] });

      await page.click('#zone-new');
      await page.fill('#zone-name', 'scanner bed');
      await page.selectOption('#zone-type', 'scanner');
      await page.fill('#zone-points', '0.2 0.3\n0.6 0.3\n0.6 0.7');
      await page.dispatchEvent('#zone-points', 'change');
      await page.click('#zone-close');
      await page.click('#zone-save');
      await page.waitForSelector('#status[data-kind=error]');
      assert.match((await page.textContent('#status')) ?? '', /Not saved: this camera changed since you opened the page/);
      const kept = await world.demo.admin.get<CameraBody>(`/v1/cameras/${cameraId}`);
      assert.deepEqual(kept.zones.map((z) => z.name), ['saved elsewhere'], 'the other change is kept');

      await page.reload();
      await page.waitForSelector('body[data-ready=zones]');
      await page.click('#zone-save');
      await page.waitForSelector('body[data-saved]');
      assert.match((await page.textContent('#status')) ?? '', /Saved 1 zone/);
      const first = (await page.getAttribute('body', 'data-saved')) ?? '';
      await page.click('#zone-save');
      // A 412 would leave data-saved as it was: the second save from the same page uses the ETag the first answered.
      await page.waitForSelector(`body[data-saved]:not([data-saved="${first}"])`);
      assert.match((await page.textContent('#status')) ?? '', /^Saved 1 zone/);
    });
  });
});
