import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { logIn, seedDemo, type DemoFixture } from '../../hub/auth/oidc/test-support/demo-fixture.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { makeClip, patchChunk, sha256 } from './support.js';

describe('links issued in a console session die with the session', () => {
  let hub: TestHub;
  let demo: DemoFixture;
  let dir: string;
  let evidenceId: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-session-links-'));
    hub = await startTestHub({ identity: { devIdp: true }, dataDir: dir });
    demo = await seedDemo(hub);
    const store = hub.running.identity.devIdp?.directory.stores.A001 as string;
    const plugin = demo.admin.as((await demo.admin.post<{ token: string }>('/v1/tokens', { name: 'plugin', role: 'plugin', storeIds: [store] })).token);
    const clip = await makeClip(dir, 'clip.mp4', 1);
    const now = Date.now();
    const upload = await plugin.post<{ id: string }>('/v1/evidence/uploads', {
      kind: 'clip', bytes: clip.length, sha256: sha256(clip), cameraId: demo.cameras.A, incidentId: demo.incidents.A,
      capturedFrom: new Date(now - 1000).toISOString(), capturedTo: new Date(now).toISOString(),
    });
    const done = await patchChunk(plugin, upload.id, 0, clip);
    assert.equal(done.status, 204, JSON.stringify(done.body));
    evidenceId = done.headers.get('evidence-id') ?? '';
  });
  after(async () => {
    await hub.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('store staff signed in to the console get a redacted link; after logout it answers link_revoked', async () => {
    const browser = await logIn(hub.url, demo.account('store_staff'));
    const asked = await fetch(`${hub.url}/v1/evidence/items/${evidenceId}/links`, {
      method: 'POST', body: JSON.stringify({ redacted: false }),
      headers: { cookie: browser.cookieHeader(), origin: hub.url, 'content-type': 'application/json' },
    });
    assert.equal(asked.status, 403, 'no original for store staff in the console either');
    const created = await fetch(`${hub.url}/v1/evidence/items/${evidenceId}/links`, {
      method: 'POST', body: JSON.stringify({}), headers: { cookie: browser.cookieHeader(), origin: hub.url, 'content-type': 'application/json' },
    });
    assert.equal(created.status, 201);
    const { url } = (await created.json()) as { url: string };
    assert.equal((await fetch(new URL(url, hub.url))).status, 200);
    const out = await browser.request(`${hub.url}/auth/logout`, { method: 'POST', headers: { origin: hub.url } });
    assert.equal(out.status, 303);
    const dead = await fetch(new URL(url, hub.url));
    assert.equal(dead.status, 403);
    assert.equal(((await dead.json()) as { error: { code: string } }).error.code, 'link_revoked');
  });
});
