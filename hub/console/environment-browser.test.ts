import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildEvent } from '../../test/support/factories.js';
import { signIn, startReviewWorld, withScreenshots, type ReviewWorld } from './test-support/review-world.js';

describe('the console shows the environment it acts in and switches among those the person may use', () => {
  let world: ReviewWorld;
  let stagingIncident = '';
  before(async () => {
    world = await startReviewWorld();
    const admin = world.demo.admin;
    await admin.post('/v1/environments', { name: 'staging', label: 'Staging' });
    const stagingAdmin = admin.as((await admin.post<{ token: string }>('/v1/tokens', { name: 'staging admin', role: 'lp_admin', environment: 'staging' })).token);
    const region = await admin.post<{ id: string }>('/v1/regions', { name: 'Lab' });
    const store = await stagingAdmin.post<{ id: string }>('/v1/stores', { regionId: region.id, name: 'Lab store', code: 'LAB-1', timezone: 'Europe/Berlin' });
    const camera = await stagingAdmin.post<{ id: string }>('/v1/cameras', { storeId: store.id, name: 'Lab camera' });
    const plugin = stagingAdmin.as((await stagingAdmin.post<{ token: string }>('/v1/tokens', { name: 'lab plugin', role: 'plugin', storeIds: [store.id] })).token);
    const ingest = await plugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events: [buildEvent({ storeId: store.id, cameraId: camera.id, severity: 'high' })] }, 200);
    stagingIncident = ingest.results[0]?.incidentId ?? '';
    assert.ok(stagingIncident);
  });
  after(() => world.stop());

  test('a reviewer given staging sees PRODUCTION, switches, and the queue then holds staging only under a band that cannot be missed', async () => {
    const context = await world.browser.newContext({ viewport: { width: 1280, height: 720 } });
    await withScreenshots(context, 'environment switch', async () => {
      const page = await signIn(world, context, 'central_reviewer');
      await page.waitForSelector('body[data-ready=true]');
      assert.equal(await page.getAttribute('#environment', 'data-environment'), 'production');
      assert.equal(await page.locator('#environment-switch').count(), 0, 'one environment: nothing to switch');
      assert.ok((await page.locator(`tr[data-incident="${world.clipped.incidentId}"]`).count()) === 1, 'production incidents in production');

      const users = await world.demo.admin.get<{ data: Array<{ id: string }> }>(`/v1/users?email=${encodeURIComponent(world.demo.account('central_reviewer').email)}`);
      const reviewer = users.data[0];
      assert.ok(reviewer);
      await world.demo.admin.patch(`/v1/users/${reviewer.id}`, { environments: ['production', 'staging'] });
      await page.reload();
      await page.waitForSelector('body[data-ready=true]');
      await Promise.all([page.waitForURL(`${world.hub.url}/console`), page.waitForEvent('load'), page.selectOption('#environment-switch', 'staging')]);
      await page.waitForSelector('#environment[data-environment=staging]');
      await page.waitForSelector('body[data-ready=true]');
      assert.match(await page.textContent('#environment') ?? '', /STAGING/);
      assert.equal(await page.getAttribute('#environment', 'class'), 'environment environment-other');
      assert.equal(await page.locator(`tr[data-incident="${stagingIncident}"]`).count(), 1);
      assert.equal(await page.locator(`tr[data-incident="${world.clipped.incidentId}"]`).count(), 0, 'nothing of production shows in staging');
      const audit = await world.demo.admin.get<{ data: Array<{ action: string; after: { environment: string } }> }>('/v1/audit?action=session.environment_switched');
      assert.equal(audit.data[0]?.after.environment, 'staging');

      await world.demo.admin.patch(`/v1/users/${reviewer.id}`, { environments: ['production'] });
      await page.reload();
      await page.waitForSelector('#environment[data-environment=production]');
    });
  });
});
