import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseLabel } from '../../test/support/database.js';
import { buildEvent, secondsAfter } from '../../test/support/factories.js';
import { startTestHub, type TestHub } from '../../test/support/hub.js';
import { meter, rollUpUsage, usageByDay } from './index.js';

describe(`usage increments and their roll-up (${databaseLabel()})`, () => {
  let hub: TestHub;
  let other: string;
  before(async () => {
    hub = await startTestHub();
    other = (await hub.createTenant('Usage other')).tenantId;
  });
  after(() => hub.stop());

  const totals = async (tenantId: string) => usageByDay(hub.db.knex, tenantId, '2026-01-01', '2026-12-31');
  const pending = async () => Number((await hub.db.knex('usage_increments').count<Array<{ n: number }>>('* as n'))[0]?.n ?? 0);

  test('rolled-up counters give the same totals per day and metric as the increments they fold, and GET /v1/usage agrees before and after', async () => {
    const store = await hub.createStore();
    const camera = await hub.createCamera(store.id);
    const plugin = hub.admin.as(await hub.createPluginToken([store.id]));
    await rollUpUsage(hub.db.knex);
    const t0 = '2026-07-01T10:00:00.000Z';
    for (let b = 0; b < 3; b += 1) {
      const events = Array.from({ length: 4 }, (_, i) => buildEvent({ cameraId: camera.id, storeId: store.id, occurredAt: secondsAfter(t0, b * 100 + i) }));
      await plugin.post('/v1/events', { events }, 200);
    }
    const day1 = new Date('2026-07-01T12:00:00Z');
    const day2 = new Date('2026-07-02T12:00:00Z');
    await meter(hub.db.knex, hub.tenantId, 'evidence_bytes', 1000, day1);
    await meter(hub.db.knex, hub.tenantId, 'evidence_bytes', 234, day1);
    await meter(hub.db.knex, hub.tenantId, 'webhook_deliveries', 7, day2);
    await meter(hub.db.knex, other, 'evidence_bytes', 5, day1);
    const today = new Date().toISOString().slice(0, 10);
    const api = async () => (await hub.admin.get<{ totals: Record<string, number> }>(`/v1/usage?from=2026-01-01&to=${today > '2026-12-31' ? today : '2026-12-31'}`)).totals;
    const beforeMine = await totals(hub.tenantId);
    const beforeOther = await totals(other);
    const beforeApi = await api();
    assert.ok(await pending() >= 7);
    assert.ok(await rollUpUsage(hub.db.knex, 2) > 0, 'a small batch folds part of the increments');
    assert.deepEqual(await totals(hub.tenantId), beforeMine, 'a partial roll-up changes no total');
    while ((await rollUpUsage(hub.db.knex, 2)) > 0);
    assert.equal(await pending(), 0);
    assert.equal(await rollUpUsage(hub.db.knex), 0, 'nothing left to fold');
    assert.deepEqual(await totals(hub.tenantId), beforeMine);
    assert.deepEqual(await totals(other), beforeOther);
    assert.deepEqual(await api(), beforeApi);
    const july = Object.fromEntries(beforeMine.filter((d) => d.day.startsWith('2026-07')).map((d) => [`${d.day} ${d.metric}`, d.value]));
    assert.equal(july['2026-07-01 evidence_bytes'], 1234);
    assert.equal(july['2026-07-02 webhook_deliveries'], 7);
    assert.equal(beforeApi.events, 12, 'events are metered on the day they are ingested, once each');
  });
});
