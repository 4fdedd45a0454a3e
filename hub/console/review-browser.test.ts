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
      const snapshotLink = page.locator(`a[data-snapshot-for="${world.clipped.incidentId}"]`);
      const snapshotHref = (await snapshotLink.getAttribute('href')) ?? '';
      assert.equal(snapshotHref, await page.locator(`img[data-thumb-for="${world.clipped.incidentId}"]`).getAttribute('src'), 'the thumbnail links to the snapshot');
      const opened = await page.request.get(new URL(snapshotHref, world.hub.url).toString());
      assert.equal(opened.status(), 200);
      assert.match(opened.headers()['content-type'] ?? '', /^image\//, 'the link answers the snapshot image');
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

  test('thumbnails are lazy: none is asked for by the time the page has loaded, a row\'s thumbnail comes when it scrolls into view', async () => {
    const context = await world.browser.newContext({ viewport: { width: 800, height: 150 } });
    await withScreenshots(context, 'lazy thumbnails', async () => {
      const page = await signIn(world, context, 'store_staff');
      const asked: string[] = [];
      page.on('request', (request) => {
        if (new URL(request.url()).pathname.startsWith('/v1/evidence/')) asked.push(request.url());
      });
      await page.goto(`${world.hub.url}/console`, { waitUntil: 'load' });
      // What was asked for by the load event; rows on screen may ask for theirs right after it.
      const askedByLoad = [...asked];
      const row = page.locator(`tr[data-incident="${world.clipped.incidentId}"]`);
      // The rows may be drawn by the page's script after the load event: wait for this one, not for a moment.
      await row.waitFor({ state: 'visible' });
      // Found and measured in one call inside the page. A locator's evaluate finds the element in one call and
      // measures it in another, and the live stream may replace the row in between: a detached row measures 0.
      const top = await page.$eval(`tr[data-incident="${world.clipped.incidentId}"]`, (el: { getBoundingClientRect(): { top: number } }) => el.getBoundingClientRect().top);
      assert.ok(top > 150 + 200, `the row starts below the viewport and its 200 px margin (at ${top})`);
      assert.equal(askedByLoad.length, 0, `no thumbnail asked for while the page loaded: ${askedByLoad.join(', ')}`);
      assert.ok(!asked.some((url) => url.includes(encodeURIComponent(world.clipped.incidentId))), 'nothing asked for the row below the fold');
      assert.equal(await row.locator('span[data-thumb-for]').count(), 1, 'the row still has its placeholder');
      await row.scrollIntoViewIfNeeded();
      await row.locator('img[data-thumb-for]').waitFor();
      assert.ok(asked.some((url) => url.includes(encodeURIComponent(world.clipped.incidentId))), 'the thumbnail was asked for once on screen');
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
      await page.waitForSelector('body[data-clip=loaded]');
      await page.locator('#snapshot:not([hidden])').waitFor();

      await page.keyboard.press(' ');
      await page.waitForSelector('body[data-clip=ended]', { timeout: 30_000 });
      // The canvas as the page's code sees it (typed by hand: this test's program has Node's types, not the DOM's).
      interface Canvas { width: number; height: number; dataset: Record<string, string>; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } }
      const drawn = await page.locator('#boxes').evaluate((element) => {
        const canvas = element as unknown as Canvas;
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
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
      await page.locator('[data-field=state]:text-is("acknowledged")').waitFor();
      await page.keyboard.press('v');
      await page.locator('[data-field=state]:text-is("verified")').waitFor();
      assert.deepEqual(await page.$$eval('#moves button', (bs) => bs.map((b) => b.getAttribute('data-transition')).sort()), ['escalated', 'intervened']);
      const history = await world.demo.admin.get<{ data: Transition[] }>(`/v1/incidents/${world.clipped.incidentId}/transitions`);
      assert.deepEqual(history.data.map((t) => t.toState), ['acknowledged', 'verified']);
      await page.locator('#history-list li', { hasText: 'verified' }).waitFor();

      await page.fill('#comment-body', 'Concealed a razor pack, left through lane 2.');
      await page.click('#comment-form button[type=submit]');
      await page.locator('#comments-list li', { hasText: 'Concealed a razor pack' }).waitFor();
      const comments = await world.demo.admin.get<{ data: Array<{ body: string }> }>(`/v1/incidents/${world.clipped.incidentId}/comments`);
      assert.deepEqual(comments.data.map((c) => c.body), ['Concealed a razor pack, left through lane 2.']);

      await page.goto(`${world.hub.url}/console/incidents/${world.demo.incidents.C}`);
      await page.waitForSelector('body[data-ready=true]');
      await page.keyboard.press('a');
      await page.locator('[data-field=state]:text-is("acknowledged")').waitFor();
      await page.keyboard.press('d');
      await page.locator('#dismiss[open]').waitFor();
      await page.check('input[name=reason][value=paid]');
      await page.fill('#dismiss-note', 'receipt 1142 shows both items');
      await page.click('#dismiss-confirm');
      await page.locator('[data-field=state]:text-is("dismissed")').waitFor();
      const dismissed = await world.demo.admin.get<{ data: Transition[] }>(`/v1/incidents/${world.demo.incidents.C}/transitions`);
      assert.equal(dismissed.data.at(-1)?.reason, 'paid: receipt 1142 shows both items');
      // The history is drawn again after the move's answer: wait for it to show the dismissal.
      await page.locator('#history-list', { hasText: /dismissed[\s\S]*paid: receipt 1142/ }).waitFor();
    });
  });

  test('the queue updates live: a new incident appears in order, a move made in a second page changes its row, another store\'s never arrives', async () => {
    const reviewer = await world.browser.newContext();
    const staff = await world.browser.newContext();
    await withScreenshots(staff, 'live queue staff', () => withScreenshots(reviewer, 'live queue reviewer', async () => {
      const queue = await signIn(world, reviewer, 'central_reviewer');
      const staffQueue = await signIn(world, staff, 'store_staff');
      await queue.waitForSelector('body[data-live=open]');
      await staffQueue.waitForSelector('body[data-live=open]');

      const inC = await world.open(world.storeC, world.demo.cameras.C, 'critical', 'sweep');
      const inA = await world.open(world.storeA, world.demo.cameras.A, 'critical', 'push_out');
      await queue.locator(`tr[data-incident="${inA}"]`).waitFor();
      await queue.locator(`tr[data-incident="${inC}"]`).waitFor();
      const order = await queue.$$eval('#incidents tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-incident')));
      assert.deepEqual(order.slice(0, 2), [inA, inC], 'critical first, newest first');
      // The stream sends changes in the order they happened: C was sent to the staff before A, if at all.
      await staffQueue.locator(`tr[data-incident="${inA}"]`).waitFor();
      assert.equal(await staffQueue.locator(`tr[data-incident="${inC}"]`).count(), 0, 'store C\'s incident never reached store A\'s staff');
      assert.equal(await queue.textContent('#count'), String(order.length));

      const second = await reviewer.newPage();
      await second.goto(`${world.hub.url}/console/incidents/${inA}`);
      await second.waitForSelector('body[data-ready=true]');
      await second.keyboard.press('a');
      await queue.locator(`tr[data-incident="${inA}"][data-state=acknowledged]`).waitFor();
      await staffQueue.locator(`tr[data-incident="${inA}"][data-state=acknowledged]`).waitFor();

      // Keyboard in the queue: j selects the first row, e on an acknowledged incident is refused in words, a acts.
      await queue.bringToFront();
      await queue.keyboard.press('j');
      assert.equal(await queue.getAttribute('#incidents tbody tr.selected', 'data-incident'), inA);
      await queue.keyboard.press('j');
      assert.equal(await queue.getAttribute('#incidents tbody tr.selected', 'data-incident'), inC);
      await queue.keyboard.press('e');
      await queue.locator('#status[data-kind=error]', { hasText: 'not possible' }).waitFor();
      await queue.keyboard.press('a');
      await queue.locator(`tr[data-incident="${inC}"][data-state=acknowledged]`).waitFor();
      await queue.keyboard.press('?');
      await queue.locator('#help[open]').waitFor();
      await queue.keyboard.press('Escape');
      await queue.locator('#help:not([open])').waitFor({ state: 'attached' });
    }));
  });

  test('a Teams card\'s "Acknowledge" link opens the incident after sign-in, with the move one key away', async () => {
    const target = await world.open(world.storeA, world.demo.cameras.A, 'medium', 'scan_avoidance');
    const context = await world.browser.newContext();
    await withScreenshots(context, 'teams deep link', async () => {
      const path = `/console/incidents/${target}?action=acknowledge`;
      const page = await signIn(world, context, 'store_staff', path);
      await page.waitForSelector('body[data-ready=true]');
      assert.equal(await page.getAttribute('#incident', 'data-incident'), target);
      assert.equal(await page.getAttribute('#deep-action', 'data-allowed'), 'true');
      await page.locator('#deep-action button:focus').waitFor();
      await page.keyboard.press('Enter');
      await page.locator('[data-field=state]:text-is("acknowledged")').waitFor();
      assert.equal(await page.locator('#deep-action').count(), 0);
      const history = await world.demo.admin.get<{ data: Transition[] }>(`/v1/incidents/${target}/transitions`);
      assert.deepEqual(history.data.map((t) => t.toState), ['acknowledged']);

      await page.goto(`${world.hub.url}${path}`);
      await page.waitForSelector('body[data-ready=true]');
      assert.equal(await page.getAttribute('#deep-action', 'data-allowed'), 'false', 'the same link later says the move is no longer open');
      assert.match((await page.textContent('#deep-action')) ?? '', /it is acknowledged/);
    });
  });

  test('store staff get no detection boxes (no read on events) and the move buttons follow the API', async () => {
    const context = await world.browser.newContext();
    await withScreenshots(context, 'staff incident page', async () => {
      const page = await signIn(world, context, 'store_staff', `/console/incidents/${world.clipped.incidentId}`);
      await page.waitForSelector('body[data-ready=true]');
      assert.match((await page.textContent('#timeline-note')) ?? '', /not shown to your role/);
      const api = await world.demo.admin.get<{ allowedTransitions: string[] }>(`/v1/incidents/${world.clipped.incidentId}`);
      const buttons = await page.$$eval('#moves button', (bs) => bs.map((b) => b.getAttribute('data-transition')).sort());
      assert.deepEqual(buttons, [...api.allowedTransitions].filter((t) => t !== 'reopened').sort());
      const other = await page.goto(`${world.hub.url}/console/incidents/${world.demo.incidents.C}`);
      assert.equal(other?.status(), 404);
      assert.deepEqual(await seriousA11yViolations(page), []);
    });
  });

  test('an auditor reads the incident\'s audit trail and is offered no move', async () => {
    const context = await world.browser.newContext();
    await withScreenshots(context, 'auditor incident page', async () => {
      const page = await signIn(world, context, 'auditor', `/console/incidents/${world.clipped.incidentId}`);
      await page.waitForSelector('body[data-ready=true]');
      assert.equal(await page.locator('#moves button').count(), 0);
      assert.match((await page.textContent('#no-moves')) ?? '', /No move is open to you/);
      const actions = await page.$$eval('#audit tbody tr td:nth-child(4)', (tds) => tds.map((td) => td.textContent));
      assert.deepEqual(actions.filter((a) => a?.startsWith('incident.')), ['incident.created', 'incident.acknowledged', 'incident.verified', 'incident.commented']);
      assert.deepEqual(await seriousA11yViolations(page), []);
    });
  });
});
