import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifyAuditChains } from '../../audit/index.js';
import type { ApiClient } from '../../../test/support/api-client.js';
import { databaseLabel } from '../../../test/support/database.js';
import { buildEvent, secondsAfter } from '../../../test/support/factories.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import { usageByDay } from '../../usage/index.js';

interface IngestBody {
  results: Array<{ id: string; status: string; incidentId?: string }>;
  created: number;
  duplicates: number;
}

// Ingest holds no tenant-wide lock to commit: batches of one tenant run at once (on PostgreSQL), and the
// per camera-and-type locks still make racing batches merge into one incident.
describe(`POST /v1/events, concurrent batches of one tenant (${databaseLabel()})`, () => {
  let hub: TestHub;
  let plugins: ApiClient[];
  let stores: Array<{ id: string }>;
  let cameras: Array<{ id: string; storeId: string }>;

  before(async () => {
    hub = await startTestHub();
    stores = [await hub.createStore(), await hub.createStore()];
    cameras = [await hub.createCamera(stores[0]!.id), await hub.createCamera(stores[1]!.id)];
    plugins = await Promise.all(stores.map(async (s) => hub.admin.as(await hub.createPluginToken([s.id]))));
  });
  after(() => hub.stop());

  const counts = async () => {
    const count = async (table: string) => Number((await hub.db.knex(table).where({ tenant_id: hub.tenantId }).count<Array<{ n: number }>>('* as n'))[0]?.n ?? 0);
    const usage = (await usageByDay(hub.db.knex, hub.tenantId, '2000-01-01', '2100-01-01')).filter((d) => d.metric === 'events').reduce((n, d) => n + d.value, 0);
    return { events: await count('detection_events'), incidents: await count('incidents'), audit: await count('audit_records'), messages: await count('webhook_messages'), usage };
  };

  test('racing batches for one camera and type merge into one incident, and every shard of the trail verifies', async () => {
    const t0 = '2026-05-01T10:00:00.000Z';
    const batches = Array.from({ length: 8 }, (_, b) => Array.from({ length: 5 }, (_, i) => buildEvent({ cameraId: cameras[0]!.id, storeId: stores[0]!.id, occurredAt: secondsAfter(t0, b * 5 + i) })));
    const other = Array.from({ length: 8 }, (_, b) => [buildEvent({ cameraId: cameras[1]!.id, storeId: stores[1]!.id, occurredAt: secondsAfter(t0, b) })]);
    const answers = await Promise.all([
      ...batches.map((events) => plugins[0]!.post<IngestBody>('/v1/events', { events }, 200)),
      ...other.map((events) => plugins[1]!.post<IngestBody>('/v1/events', { events }, 200)),
    ]);
    const first = new Set(answers.slice(0, 8).flatMap((a) => a.results.map((r) => r.incidentId)));
    const second = new Set(answers.slice(8).flatMap((a) => a.results.map((r) => r.incidentId)));
    assert.equal(first.size, 1, 'every event of camera 0 joined one incident');
    assert.equal(second.size, 1, 'every event of camera 1 joined one incident');
    const incident = await hub.db.knex('incidents').where({ tenant_id: hub.tenantId, id: [...first][0] }).first<{ event_count: number }>('event_count');
    assert.equal(Number(incident?.event_count), 40);
    const [report] = await verifyAuditChains(hub.db.knex, hub.tenantId);
    assert.equal(report?.ok, true, report?.problem?.message);
    const ingested = await hub.db.knex('audit_records').where({ tenant_id: hub.tenantId, action: 'events.ingested' }).count<Array<{ n: number }>>('* as n');
    assert.equal(Number(ingested[0]?.n), 16, 'one audit record per batch, whichever shard it went to');
  });

  test('a replay answers the same incident ids and writes nothing: no event, incident, audit record, message or usage', async () => {
    const t0 = '2026-05-02T10:00:00.000Z';
    const events = [0, 5, 900, 905].map((s, i) => buildEvent({ cameraId: cameras[0]!.id, storeId: stores[0]!.id, type: i % 2 === 0 ? 'zone_dwell' : 'concealment', occurredAt: secondsAfter(t0, s) }));
    const first = await plugins[0]!.post<IngestBody>('/v1/events', { events }, 200);
    assert.equal(first.created, 4);
    const before = await counts();
    const replays = await Promise.all([0, 1, 2].map(() => plugins[0]!.post<IngestBody>('/v1/events', { events }, 200)));
    for (const replay of replays) {
      assert.equal(replay.duplicates, 4);
      assert.deepEqual(replay.results.map((r) => r.incidentId), first.results.map((r) => r.incidentId));
    }
    assert.deepEqual(await counts(), before);
  });
});
