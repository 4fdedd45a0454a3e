import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Knex } from 'knex';
import { evidenceStoreFor, renditionPrefix } from '../../hub/evidence/index.js';
import { planLinkSweeps, planRetention, purgeExpired } from '../../hub/retention/index.js';
import { buildEvent } from '../support/factories.js';
import { databaseLabel } from '../support/database.js';
import { makeClip, makeSnapshot, startEvidenceWorld, uploadEvidence, type EvidenceWorld } from './support.js';

// Retention covers every copy: the redacted renditions made for links go with their item, and links that
// can never be used again (expired, or issued by a revoked token) are swept, all audited.

const DAY = 24 * 60 * 60 * 1000;

describe(`retention purges redacted renditions and sweeps dead links (${databaseLabel()})`, () => {
  let world: EvidenceWorld;
  let clipId: string;
  let snapId: string;
  let incidentId: string;
  const owner = <T>(fn: (trx: Knex.Transaction) => Promise<T>) => world.hub.db.knex.transaction(async (trx) => {
    await trx.raw("SELECT set_config('vigil.tenant_id', ?, true)", [world.hub.tenantId]);
    return fn(trx);
  });
  const renditionsOnRecord = (itemId: string) => owner((trx) => trx('evidence_renditions').where({ tenant_id: world.hub.tenantId, item_id: itemId }).orderBy('storage_key').pluck<string[]>('storage_key'));
  const linkRows = () => owner((trx) => trx('evidence_links').where({ tenant_id: world.hub.tenantId }).pluck<string[]>('id'));
  const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, unknown> | null;
  const audit = async (action: string) => (await owner((trx) => trx('audit_records').where({ tenant_id: world.hub.tenantId, action }).select<Array<{ subject_id: string; before: unknown; after: unknown }>>('subject_id', 'before', 'after')))
    .map((r) => ({ subjectId: r.subject_id, before: json(r.before), after: json(r.after) ?? {} }));

  before(async () => {
    world = await startEvidenceWorld();
    const raised = await world.plugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events: [buildEvent({ cameraId: world.cameraId, storeId: world.storeId, type: 'concealment' })] }, 200);
    incidentId = raised.results[0]?.incidentId ?? '';
    await world.hub.admin.post(`/v1/incidents/${incidentId}/transitions`, { to: 'acknowledged' }, 200);
    await world.hub.admin.post(`/v1/incidents/${incidentId}/transitions`, { to: 'dismissed', reason: 'paid at the till' }, 200);
    const clip = await uploadEvidence(world, await makeClip(world.dir, 'kept-copies.mp4', 1), { incidentId });
    const snap = await uploadEvidence(world, await makeSnapshot(world.dir, 'kept-copies.jpg'), { kind: 'snapshot', incidentId });
    assert.equal(clip.response.status, 204);
    assert.equal(snap.response.status, 204);
    clipId = clip.evidenceId ?? '';
    snapId = snap.evidenceId ?? '';
  });
  after(() => world.stop());

  test('a link issued by a revoked token is swept now (its use then answers 404), a live one stays', async () => {
    const minted = await world.hub.admin.post<{ id: string; token: string }>('/v1/tokens', { name: 'viewer', role: 'store_staff', storeIds: [world.storeId] });
    const staff = world.hub.admin.as(minted.token);
    const dead = await staff.post<{ url: string; linkId: string }>(`/v1/evidence/items/${snapId}/links`, {});
    const live = await world.hub.admin.post<{ url: string; linkId: string }>(`/v1/evidence/items/${snapId}/links`, {});
    await world.hub.admin.call('DELETE', `/v1/tokens/${minted.id}`, 200);

    const now = new Date();
    const planned = await planLinkSweeps(world.hub.db.knex, { now, tenantId: world.hub.tenantId });
    assert.deepEqual(planned, [{ tenantId: world.hub.tenantId, environment: 'production', expired: 0, revoked: 1 }]);
    const report = await purgeExpired(world.hub.db.knex, evidenceStoreFor(world.hub.running.config), { now, tenantId: world.hub.tenantId });
    assert.deepEqual([report.purged, report.links], [0, 1]);
    const rows = await linkRows();
    assert.ok(!rows.includes(dead.linkId), 'the revoked token\'s link is gone');
    assert.ok(rows.includes(live.linkId), 'a live link is kept');
    const refused = await fetch(new URL(dead.url, world.hub.url));
    assert.equal(refused.status, 404);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'not_found');
    assert.equal((await fetch(new URL(live.url, world.hub.url))).status, 200);
    const swept = await audit('evidence.links_swept');
    assert.deepEqual(swept.map((r) => [r.subjectId, r.after.expired, r.after.revoked]), [[world.hub.tenantId, 0, 1]]);
  });

  test('the plan lists an item\'s redacted renditions; the purge deletes them from storage and record, and sweeps the expired links', async () => {
    const store = evidenceStoreFor(world.hub.running.config);
    // Two renditions of the clip: one per redaction plan (a track that arrives later gives a new one).
    const first = await world.hub.admin.post<{ url: string }>(`/v1/evidence/items/${clipId}/links`, {});
    assert.equal((await fetch(new URL(first.url, world.hub.url))).status, 200);
    const item = await world.hub.admin.get<{ capturedFrom: string }>(`/v1/evidence/items/${clipId}`);
    const bystander = buildEvent({
      cameraId: world.cameraId, storeId: world.storeId, type: 'zone_dwell', occurredAt: new Date(Date.parse(item.capturedFrom) + 500).toISOString(),
      detections: [{ label: 'person', score: 0.9, box: [0.5, 0.5, 0.7, 0.9], trackId: 41 }],
    });
    await world.plugin.post('/v1/events', { events: [bystander] }, 200);
    const second = await world.hub.admin.post<{ url: string }>(`/v1/evidence/items/${clipId}/links`, {});
    assert.equal((await fetch(new URL(second.url, world.hub.url))).status, 200);
    const renditions = await renditionsOnRecord(clipId);
    assert.equal(renditions.length, 2, renditions.join(', '));
    const prefix = renditionPrefix({ tenant_id: world.hub.tenantId, id: clipId });
    for (const key of renditions) {
      assert.ok(key.startsWith(prefix), key);
      assert.ok(await store.stat(key), `${key} is stored`);
    }
    const snapRenditions = await renditionsOnRecord(snapId);
    assert.equal(snapRenditions.length, 1);

    const at = new Date(Date.now() + 4 * DAY);
    const plan = await planRetention(world.hub.db.knex, { now: at, tenantId: world.hub.tenantId });
    assert.deepEqual(plan.find((p) => p.id === clipId)?.renditions, renditions);
    assert.deepEqual(plan.find((p) => p.id === snapId)?.renditions, snapRenditions);
    const linksBefore = (await linkRows()).length;
    assert.ok(linksBefore >= 3);
    assert.deepEqual(await planLinkSweeps(world.hub.db.knex, { now: at, tenantId: world.hub.tenantId }), [{ tenantId: world.hub.tenantId, environment: 'production', expired: linksBefore, revoked: 0 }]);

    const report = await purgeExpired(world.hub.db.knex, store, { now: at, tenantId: world.hub.tenantId });
    assert.ok(report.purged >= 2);
    assert.equal(report.renditions, 3);
    assert.equal(report.links, linksBefore);
    for (const key of [...renditions, ...snapRenditions]) assert.equal(await store.stat(key), null, `${key} is deleted`);
    assert.deepEqual(await renditionsOnRecord(clipId), []);
    assert.deepEqual(await renditionsOnRecord(snapId), []);
    assert.deepEqual(await linkRows(), []);
    const purged = (await audit('evidence.purged')).find((r) => r.subjectId === clipId);
    assert.deepEqual(purged?.before?.renditions, renditions);
    assert.ok((await audit('evidence.links_swept')).some((r) => r.after.expired === linksBefore));
    // The links of the purge's last round are gone with them: nothing is left to plan.
    assert.deepEqual(await planLinkSweeps(world.hub.db.knex, { now: at, tenantId: world.hub.tenantId }), []);
  });
});
