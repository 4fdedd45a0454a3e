import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';

const zone = (name: string) => ({ name, type: 'scanner', polygon: [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5]] });

describe('cameras: ETag and If-Match on PATCH (the zone editor\'s save)', () => {
  let hub: TestHub;
  let cameraId: string;
  before(async () => {
    hub = await startTestHub();
    const region = await hub.createRegion();
    const store = await hub.createStore({ regionId: region.id });
    cameraId = (await hub.createCamera(store.id)).id;
  });
  after(() => hub?.stop());

  const patch = (etag: string | null, name: string) => hub.admin.raw('PATCH', `/v1/cameras/${cameraId}`, {
    body: JSON.stringify({ zones: [zone(name)] }),
    headers: { 'content-type': 'application/json', ...(etag ? { 'if-match': etag } : {}) },
  });

  test('a save based on the current ETag succeeds and answers the new one; one based on an older ETag is refused with 412 and changes nothing', async () => {
    const read = await hub.admin.raw('GET', `/v1/cameras/${cameraId}`);
    const loaded = read.headers.get('etag');
    assert.ok(loaded, 'GET answers an ETag');

    const first = await patch(loaded, 'Lane 1');
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const next = first.headers.get('etag');
    assert.ok(next && next !== loaded, 'the PATCH answers the new ETag');

    const stale = await patch(loaded, 'Overwrite');
    assert.equal(stale.status, 412);
    assert.equal((stale.body as { error: { code: string } }).error.code, 'precondition_failed');
    const after = await hub.admin.get<{ zones: Array<{ name: string }> }>(`/v1/cameras/${cameraId}`);
    assert.deepEqual(after.zones.map((z) => z.name), ['Lane 1'], 'the refused save changed nothing');

    assert.equal((await patch(next, 'Lane 1 again')).status, 200, 'the current ETag still saves');
    assert.equal((await patch(null, 'No condition')).status, 200, 'without If-Match the PATCH is unconditional, as before');
  });
});
