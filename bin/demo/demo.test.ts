// The demo, driven headless as a newcomer would meet it: `vigil demo` (what `npm start` runs) brings up the hub,
// two simulated cameras, the lane's till, the plugin and both receivers; within its first minute or so a scan
// avoidance at the checkout is an incident with its clip and receipt lines, the webhook receiver has verified a
// delivery of it, and the Milestone stand-in has the operators' alarm. Chromium then shows it in the console.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { waitFor } from '../../test/support/lane-journal.js';
import { runDemo } from './demo-run.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(process.cwd(), 'test-results', 'demo');

const lines = (file: string): Array<Record<string, unknown>> =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) : [];

interface Incident { id: string; type: string; laneId: string | null }

/** The little of the page's DOM the test reads (this project's TypeScript has no DOM library). */
interface PageDocument {
  querySelectorAll(selector: string): Iterable<{ textContent: string | null; complete?: boolean }>;
  querySelector(selector: string): { readyState: number } | null;
}

test('vigil demo: a scan avoidance becomes an incident with clip and receipt, a verified webhook and a VMS alarm; the console shows it', { timeout: 480_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-demo-'));
  // The demo stops before its directory goes: removed while it still writes, the directory may not be empty yet.
  const stops: Array<() => Promise<unknown>> = [];
  t.after(async () => {
    for (const stop of stops) await stop();
    await rm(dir, { recursive: true, force: true });
  });
  const demo = await runDemo({ dir, port: 0, say: () => undefined });
  stops.push(() => demo.stop());
  const { state } = demo;
  const state2 = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as typeof state;
  assert.deepEqual(state2, state, 'state.json says where everything is');
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${state.hubUrl}${path}`, { headers: { authorization: `Bearer ${state.adminToken}` } });
    assert.equal(response.status, 200, path);
    return (await response.json()) as T;
  };

  const incident = await waitFor('a scan avoidance incident', 180_000, async () =>
    (await get<{ data: Incident[] }>('/v1/incidents?type=scan_avoidance')).data[0]);
  assert.equal(incident.laneId, demo.site.laneId);
  const clip = await waitFor('its clip', 60_000, async () =>
    (await get<{ data: Array<{ kind: string }> }>(`/v1/evidence/items?incidentId=${incident.id}`)).data.find((e) => e.kind === 'clip'));
  assert.ok(clip);
  const receipt = await waitFor('its receipt lines', 90_000, async () => {
    const { pos } = await get<{ pos: Array<{ lines: Array<{ type: string }> }> }>(`/v1/incidents/${incident.id}`);
    return pos.find((p) => p.lines.some((l) => l.type === 'sale'));
  });
  assert.ok(receipt);
  const delivery = await waitFor('a verified delivery of it', 60_000, () =>
    lines(state.webhookLog).find((d) => d.verified === true && d.type === 'incident.created' && d.subjectId === incident.id));
  assert.ok(delivery);
  assert.ok(lines(state.webhookLog).every((d) => d.verified === true), 'every delivery carried a valid signature');
  const alarm = await waitFor('the operators\' alarm', 30_000, () => lines(state.vmsLog).find((a) => String(a.xml).includes('<Type>scan_avoidance</Type>')));
  assert.match(String(alarm.xml), /<Name>Checkout 1<\/Name>/);

  if (!existsSync(CHROMIUM)) return t.diagnostic(`${CHROMIUM} absent: the console part is skipped`);
  const reviewer = demo.site.accounts.find((a) => a.role === 'central_reviewer');
  assert.ok(reviewer);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  t.after(() => browser.close());
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
  await page.goto(state.consoleUrl);
  await page.waitForURL(/\/idp\/interaction\//);
  await page.fill('#email', reviewer.email);
  await page.fill('#password', reviewer.password);
  await page.click('button[type=submit]');
  await page.waitForSelector(`tr[data-incident="${incident.id}"]`);
  // Thumbnails settled: each an image loaded, or a word saying why there is none.
  await page.waitForFunction(() => {
    const doc = (globalThis as unknown as { document: PageDocument }).document;
    return ![...doc.querySelectorAll('span[data-thumb-for]')].some((slot) => slot.textContent === '…')
      && [...doc.querySelectorAll('tr[data-incident] img')].every((img) => img.complete === true);
  });
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'queue.png') });
  await page.goto(`${state.hubUrl}/console/incidents/${incident.id}`);
  // The clip plays to the hit's moment: the boxes the detector drew show over the video.
  await page.waitForFunction(() => ((globalThis as unknown as { document: PageDocument }).document.querySelector('video')?.readyState ?? 0) >= 2);
  await page.evaluate(`new Promise((resolve) => {
    const video = document.querySelector('video');
    video.addEventListener('seeked', resolve, { once: true });
    video.currentTime = Math.max(0, video.duration - 4);
  })`);
  await page.screenshot({ path: join(SCREENSHOTS, 'incident.png'), fullPage: true });
});
