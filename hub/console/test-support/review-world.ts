import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { ApiClient } from '../../../test/support/api-client.js';
import { buildEvent, secondsAfter } from '../../../test/support/factories.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import { makeClip, makeSnapshot } from '../../../test/evidence/support.js';
import { inTenant } from '../../auth/oidc/tenant-transaction.js';
import { mintApiToken } from '../../auth/api-tokens.js';
import { seedDemo, type DemoFixture } from '../../auth/oidc/test-support/demo-fixture.js';
import type { DevAccount } from '../../dev-idp/index.js';

export const CHROMIUM = '/usr/bin/chromium';
/** Where a failing browser test leaves its screenshot (gitignored). */
export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'console');

export interface ReviewWorld {
  hub: TestHub;
  demo: DemoFixture;
  browser: Browser;
  /** A plugin token for the demo's stores A and C. */
  plugin: ApiClient;
  storeA: string;
  storeC: string;
  /** An incident in store A with a 2 s clip, a snapshot and three detection events inside the clip. */
  clipped: { incidentId: string; eventIds: string[] };
  open(storeId: string, cameraId: string, severity: string, type?: string): Promise<string>;
  stop(): Promise<void>;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function upload(plugin: ApiClient, bytes: Buffer, body: Record<string, unknown>): Promise<string> {
  const opened = await plugin.post<{ id: string }>('/v1/evidence/uploads', { bytes: bytes.length, sha256: sha256(bytes), ...body });
  const done = await plugin.raw('PATCH', `/v1/evidence/uploads/${opened.id}`, {
    body: bytes, headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' },
  });
  assert.equal(done.status, 204, JSON.stringify(done.body));
  const id = done.headers.get('evidence-id');
  assert.ok(id, 'the upload completed into an item');
  return id;
}

/** The dev provider's demo tenant (stores A and C, one incident each) plus an incident with clip, snapshot and boxes. */
export async function startReviewWorld(): Promise<ReviewWorld> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-console-'));
  const hub = await startTestHub({ identity: { devIdp: true }, dataDir: dir });
  const demo = await seedDemo(hub);
  const { tenantId, stores } = demo.devIdp.directory;
  const storeA = stores.A001 as string;
  const storeC = stores.C001 as string;
  const token = await inTenant(hub.db.knex, tenantId, async (trx) => (await mintApiToken(trx, { tenantId, role: 'plugin', name: 'console test plugin', storeIds: [storeA, storeC], createdBy: 'test' })).token);
  const plugin = demo.admin.as(token);

  const clipFrom = new Date(Date.now() - 10_000).toISOString();
  const boxes = [[0.1, 0.1, 0.4, 0.9], [0.15, 0.12, 0.45, 0.9], [0.2, 0.15, 0.5, 0.92]] as const;
  const events = [0.3, 1.0, 1.6].map((s, n) => buildEvent({
    storeId: storeA, cameraId: demo.cameras.A, type: 'concealment', severity: 'high', occurredAt: secondsAfter(clipFrom, s),
    detections: [{ label: 'person', score: 0.9, box: [...boxes[n] as readonly number[]] as [number, number, number, number], trackId: 1 }],
  } as never));
  const ingest = await plugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events }, 200);
  const incidentId = ingest.results[0]?.incidentId as string;
  assert.ok(ingest.results.every((r) => r.incidentId === incidentId), 'the three events merged into one incident');
  const metadata = {
    detections: [{ label: 'person', score: 0.9, box: [0.1, 0.1, 0.4, 0.9], trackId: 1, involved: true }],
    rule: { name: 'concealment', version: '1' }, model: { name: 'nanodet-m', version: '1' }, pluginVersion: '0.1.0',
  };
  const common = { cameraId: demo.cameras.A, incidentId, capturedFrom: clipFrom, capturedTo: secondsAfter(clipFrom, 2), metadata };
  await upload(plugin, await makeClip(dir, 'clip.mp4', 2), { kind: 'clip', ...common });
  await upload(plugin, await makeSnapshot(dir), { kind: 'snapshot', ...common, capturedTo: clipFrom });

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--autoplay-policy=no-user-gesture-required'] });
  return {
    hub, demo, browser, plugin, storeA, storeC,
    clipped: { incidentId, eventIds: events.map((e) => e.id) },
    async open(storeId, cameraId, severity, type = 'push_out') {
      const result = await plugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events: [buildEvent({ storeId, cameraId, severity, type } as never)] }, 200);
      return result.results[0]?.incidentId as string;
    },
    async stop() {
      await browser.close();
      await hub.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Signs in through the dev provider's form, starting from `path` (the console sends the browser to the login). */
export async function signIn(world: ReviewWorld, context: BrowserContext, role: DevAccount['role'], path = '/console'): Promise<Page> {
  const account = world.demo.account(role);
  const page = await context.newPage();
  await page.goto(`${world.hub.url}${path}`);
  await page.waitForURL(/\/idp\/interaction\//, { timeout: 30_000 });
  await page.fill('#email', account.email);
  await page.fill('#password', account.password);
  await page.click('button[type=submit]');
  await page.waitForURL(`${world.hub.url}${path}`, { timeout: 30_000 });
  return page;
}

/** Runs a browser test body; on failure, saves a screenshot of every open page of the context first. */
export async function withScreenshots(context: BrowserContext, name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase().slice(0, 80);
    let n = 0;
    for (const page of context.pages()) {
      n += 1;
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${slug}-${n}.png`), fullPage: true }).catch(() => undefined);
      await writeFile(join(SCREENSHOT_DIR, `${slug}-${n}.html`), await page.content().catch(() => '')).catch(() => undefined);
    }
    throw error;
  } finally {
    await context.close();
  }
}

let axeSource: string | undefined;

/** axe-core on the page as it stands: the serious and critical violations (id and the first target of each). */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  axeSource ??= await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the debugging protocol, not as a <script>: the console's CSP allows the hub's scripts only.
  await page.evaluate(axeSource);
  const results = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(options: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    return axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
  });
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
}
