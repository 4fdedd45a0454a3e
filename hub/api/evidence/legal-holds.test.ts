import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ApiClient } from '../../../test/support/api-client.js';
import { buildEvent } from '../../../test/support/factories.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';

interface Hold { id: string; targetType: string; targetId: string; reason: string; releasedAt: string | null; storeId: string | null }
interface HoldPage { data: Hold[]; nextCursor: string | null }

describe('GET /v1/evidence/holds', () => {
  let hub: TestHub;
  let reviewer: ApiClient;
  let staffA: ApiClient;
  let integrator: ApiClient;
  const incidents: Record<'a' | 'b', string[]> = { a: [], b: [] };

  before(async () => {
    hub = await startTestHub();
    let minute = 0;
    for (const key of ['a', 'b'] as const) {
      const store = await hub.createStore();
      const camera = await hub.createCamera(store.id);
      const plugin = hub.admin.as(await hub.createPluginToken([store.id]));
      for (let n = 0; n < 2; n += 1) {
        minute += 10;
        const event = buildEvent({ cameraId: camera.id, storeId: store.id, occurredAt: new Date(Date.UTC(2026, 5, 1, 8, minute)).toISOString() });
        incidents[key].push((await plugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events: [event] }, 200)).results[0]!.incidentId);
      }
      if (key === 'a') staffA = hub.admin.as(await hub.createToken('store_staff', { storeIds: [store.id] }));
    }
    reviewer = hub.admin.as(await hub.createToken('central_reviewer'));
    integrator = hub.admin.as(await hub.createToken('it_integrator'));
    for (const id of [...incidents.a, ...incidents.b]) await reviewer.post('/v1/evidence/holds', { targetType: 'incident', targetId: id, reason: `case for ${id}` }, 201);
  });
  after(() => hub.stop());

  test('a reviewer lists every active hold, newest first, in pages', async () => {
    const first = await reviewer.get<HoldPage>('/v1/evidence/holds?limit=3');
    assert.equal(first.data.length, 3);
    assert.ok(first.nextCursor);
    const second = await reviewer.get<HoldPage>(`/v1/evidence/holds?limit=3&cursor=${first.nextCursor}`);
    assert.equal(second.nextCursor, null);
    const targets = [...first.data, ...second.data].map((h) => h.targetId);
    assert.deepEqual(targets, [...incidents.a, ...incidents.b].reverse());
  });

  test('store staff list only the holds on their store\'s evidence; a role without evidence read is refused', async () => {
    const mine = await staffA.get<HoldPage>('/v1/evidence/holds');
    assert.deepEqual(mine.data.map((h) => h.targetId).sort(), [...incidents.a].sort());
    const theirs = await staffA.get<HoldPage>(`/v1/evidence/holds?targetId=${incidents.b[0]}`);
    assert.deepEqual(theirs.data, []);
    const refused = await integrator.get<{ error: { code: string } }>('/v1/evidence/holds', 403);
    assert.equal(refused.error.code, 'forbidden');
  });

  test('a released hold leaves the default list and is listed under state=released', async () => {
    const target = incidents.b[1]!;
    const [hold] = (await reviewer.get<HoldPage>(`/v1/evidence/holds?targetType=incident&targetId=${target}`)).data;
    assert.equal(hold?.reason, `case for ${target}`);
    await reviewer.post(`/v1/evidence/holds/${hold.id}/release`, {}, 200);
    assert.deepEqual((await reviewer.get<HoldPage>(`/v1/evidence/holds?targetId=${target}`)).data, []);
    const released = await reviewer.get<HoldPage>(`/v1/evidence/holds?state=released&targetId=${target}`);
    assert.deepEqual(released.data.map((h) => h.id), [hold.id]);
    assert.ok(released.data[0]?.releasedAt);
  });

  test('a bad query is a 400 with a stable code', async () => {
    assert.equal((await reviewer.get<{ error: { code: string } }>('/v1/evidence/holds?state=everything', 400)).error.code, 'validation_failed');
    assert.equal((await reviewer.get<{ error: { code: string } }>('/v1/evidence/holds?targetId=inc_x', 400)).error.code, 'validation_failed');
    assert.equal((await reviewer.get<{ error: { code: string } }>('/v1/evidence/holds?cursor=garbage', 400)).error.code, 'invalid_cursor');
    assert.equal((await reviewer.get<{ error: { code: string } }>('/v1/evidence/holds?sort=id', 400)).error.code, 'validation_failed');
  });
});
