import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { CHROMIUM, seriousA11yViolations, signIn, startReviewWorld, withScreenshots, type ReviewWorld } from './test-support/review-world.js';

const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent (apt-get install -y chromium)`;

interface Transition { toState: string; reason: string | null; actorId: string }

describe('review console in a real browser (Debian Chromium)', { skip }, () => {
  let world: ReviewWorld;

  before(async () => {
    world = await startReviewWorld();
  });
  after(() => world?.stop());

  const berlinClock = (iso: string) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date(iso));

  test('store staff see only their store\'s incidents, named with code and in the store\'s time; a filter with no match says what to do', async () => {
    const context = await world.browser.newContext();
    await withScreenshots(context, 'store staff queue', async () => {
      const page = await signIn(world, context, 'store_staff');
      await page.waitForSelector('body[data-ready=true]');
      const rows = await page.$$eval('#incidents tbody tr', (trs) => trs.map((tr) => ({ id: tr.getAttribute('data-incident'), store: tr.getAttribute('data-store'), severity: tr.getAttribute('data-severity') })));
      assert.deepEqual(rows.map((r) => r.id).sort(), [world.demo.incidents.A, world.clipped.incidentId].sort());
      assert.ok(rows.every((r) => r.store === world.storeA), 'nothing of store C');
      assert.deepEqual(rows.map((r) => r.severity), ['high', 'medium'], 'most severe first');
      const first = page.locator(`tr[data-incident="${world.clipped.incidentId}"]`);
      assert.equal(await first.locator('[data-col=store]').textContent(), 'Demo Store A (A001)');
      const lastEventAt = (await first.locator('time').getAttribute('datetime')) ?? '';
      const shown = (await first.locator('time').textContent()) ?? '';
      assert.ok(shown.includes(berlinClock(lastEventAt)), `${shown} is Berlin time for ${lastEventAt}`);
      assert.match(shown, /CES?T$/);
      await page.locator(`img[data-thumb-for="${world.clipped.incidentId}"]`).waitFor();
      assert.ok(await page.locator(`img[data-thumb-for="${world.clipped.incidentId}"]`).evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0), 'the snapshot thumbnail loaded through its signed link');
      assert.deepEqual(await seriousA11yViolations(page), []);

      const storeOptions = await page.$$eval('#f-storeId option', (options) => options.map((o) => o.getAttribute('value')));
      assert.deepEqual(storeOptions, ['', world.storeA], 'the store filter offers only the staff member\'s store');
      await page.goto(`${world.hub.url}/console?storeId=${world.storeC}`);
      assert.equal(await page.locator('#incidents tbody tr').count(), 0, 'asking for store C by hand shows nothing of it');
      await page.goto(`${world.hub.url}/console?severity=critical&state=resolved`);
      assert.equal(await page.locator('#incidents tbody tr').count(), 0);
      assert.match((await page.textContent('#empty')) ?? '', /No incident matches these filters.*clear all filters/s);
      assert.equal(await page.getAttribute('#f-severity option[selected]', 'value'), 'critical', 'the form shows the filters applied');
    });
  });

  test('a reviewer plays the clip to its end with the boxes drawn, verifies with the keyboard, and dismisses another with a reason', async () => {
    const context = await world.browser.newContext();
    await withScreenshots(context, 'reviewer clip verify dismiss', async () => {
      const path = `/console/incidents/${world.clipped.incidentId}`;
      const page = await signIn(world, context, 'central_reviewer', path);
      await page.waitForSelector('body[data-ready=true]');
      assert.deepEqual(await page.$$eval('#timeline li', (lis) => lis.map((li) => li.getAttribute('data-event'))), world.clipped.eventIds);
      assert.deepEqual(await page.$$eval('#moves button', (bs) => bs.map((b) => b.getAttribute('data-transition'))), ['acknowledged'], 'exactly the moves open from new');
      await page.waitForFunction(() => (document.getElementById('clip') as HTMLVideoElement | null)?.readyState === 4 || ((document.getElementById('clip') as HTMLVideoElement | null)?.readyState ?? 0) >= 2);
      await page.locator('#snapshot:not([hidden])').waitFor();

      await page.keyboard.press(' ');
      await page.waitForSelector('body[data-clip=ended]', { timeout: 30_000 });
      const drawn = await page.evaluate(() => {
        const canvas = document.getElementById('boxes') as HTMLCanvasElement;
        const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
        let yellow = 0;
        for (let i = 0; i < pixels.length; i += 4) if (pixels[i] === 255 && pixels[i + 1] === 221 && pixels[i + 2] === 0 && pixels[i + 3] === 255) yellow += 1;
        return { boxesNow: Number(canvas.dataset.boxes), drawnTotal: Number(canvas.dataset.boxesDrawn), yellow };
      });
      assert.equal(drawn.boxesNow, 1, 'the last event\'s box is on the final frame');
      assert.ok(drawn.drawnTotal >= 3, `boxes were drawn along the way (${drawn.drawnTotal})`);
      assert.ok(drawn.yellow > 100, `the box is on the canvas (${drawn.yellow} px)`);
      assert.deepEqual(await seriousA11yViolations(page), []);

      await page.locator('body').focus();
      await page.keyboard.press('a');
      await page.waitForFunction(() => document.querySelector('[data-field=state]')?.textContent === 'acknowledged');
      await page.keyboard.press('v');
      await page.waitForFunction(() => document.querySelector('[data-field=state]')?.textContent === 'verified');
      assert.deepEqual(await page.$$eval('#moves button', (bs) => bs.map((b) => b.getAttribute('data-transition')).sort()), ['escalated', 'intervened']);
      const history = await world.demo.admin.get<{ data: Transition[] }>(`/v1/incidents/${world.clipped.incidentId}/transitions`);
      assert.deepEqual(history.data.map((t) => t.toState), ['acknowledged', 'verified']);

      await page.goto(`${world.hub.url}/console/incidents/${world.demo.incidents.C}`);
      await page.waitForSelector('body[data-ready=true]');
      await page.keyboard.press('a');
      await page.waitForFunction(() => document.querySelector('[data-field=state]')?.textContent === 'acknowledged');
      await page.keyboard.press('d');
      await page.locator('#dismiss[open]').waitFor();
      await page.check('input[name=reason][value=paid]');
      await page.fill('#dismiss-note', 'receipt 1142 shows both items');
      await page.click('#dismiss-confirm');
      await page.waitForFunction(() => document.querySelector('[data-field=state]')?.textContent === 'dismissed');
      const dismissed = await world.demo.admin.get<{ data: Transition[] }>(`/v1/incidents/${world.demo.incidents.C}/transitions`);
      assert.equal(dismissed.data.at(-1)?.reason, 'paid: receipt 1142 shows both items');
      assert.match((await page.textContent('#history-list')) ?? '', /dismissed.*paid: receipt 1142/s);
    });
  });
});
