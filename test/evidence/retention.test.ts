import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { verifyAuditChains } from '../../hub/audit/index.js';
import { evidenceStoreFor } from '../../hub/evidence/index.js';
import { planRetention, purgeExpired, sweepForDiskPressure } from '../../hub/retention/index.js';
import { buildEvent } from '../support/factories.js';
import { makeClip, startEvidenceWorld, uploadEvidence, type EvidenceWorld } from './support.js';

const DAY = 24 * 60 * 60 * 1000;
const repoRoot = new URL('../../', import.meta.url).pathname;
const onPglite = process.env.DATABASE_URL ? false : 'the CLI is a second process on the database; in-memory PGlite has one (runs on PostgreSQL)';

describe('retention and legal hold', () => {
  let world: EvidenceWorld;
  const clips: Record<'dismissed' | 'verified' | 'held' | 'unreviewed', string> = { dismissed: '', verified: '', held: '', unreviewed: '' };

  async function incident(type: string): Promise<string> {
    const body = await world.plugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events: [buildEvent({ cameraId: world.cameraId, storeId: world.storeId, type: type as never })] }, 200);
    return body.results[0]?.incidentId ?? '';
  }
  async function move(id: string, ...steps: Array<Record<string, unknown>>) {
    for (const step of steps) await world.hub.admin.post(`/v1/incidents/${id}/transitions`, step, 200);
  }

  before(async () => {
    world = await startEvidenceWorld();
    const clip = await makeClip(world.dir, 'r.mp4', 1);
    const ids = { dismissed: await incident('scan_avoidance'), verified: await incident('concealment'), held: await incident('push_out'), unreviewed: await incident('sweethearting') };
    await move(ids.dismissed, { to: 'acknowledged' }, { to: 'dismissed', reason: 'customer paid' });
    await move(ids.held, { to: 'acknowledged' }, { to: 'dismissed', reason: 'looked fine' });
    await move(ids.verified, { to: 'acknowledged' }, { to: 'verified' });
    for (const key of Object.keys(ids) as Array<keyof typeof ids>) {
      const uploaded = await uploadEvidence(world, clip, { incidentId: ids[key] });
      assert.equal(uploaded.response.status, 204);
      clips[key] = uploaded.evidenceId ?? '';
    }
    await world.hub.admin.post('/v1/evidence/holds', { targetType: 'incident', targetId: ids.held, reason: 'police request 2026-118' });
  });
  after(() => world.stop());

  test('vigil retention plan prints what would be purged and why, and deletes nothing', { skip: onPglite }, async () => {
    const connection = (world.hub.db.knex.client as { config: { connection: { connectionString: string } } }).config.connection.connectionString;
    const { stdout } = await promisify(execFile)(process.execPath, [join(repoRoot, 'bin/vigil.mjs'), 'retention', 'plan', '--tenant', world.hub.tenantId, '--at', new Date(Date.now() + 3650 * DAY).toISOString()], {
      cwd: repoRoot, timeout: 60_000, env: { ...process.env, DATABASE_URL: connection },
    });
    const remaining = await world.hub.db.knex('evidence_items').where({ tenant_id: world.hub.tenantId }).select('id');
    for (const { id } of remaining as Array<{ id: string }>) assert.match(stdout, new RegExp(`(PURGE|HELD ) +${world.hub.tenantId} +${id} .*kept \\d+ days`));
    assert.match(stdout, /item\(s\), \d+ bytes would be purged/);
    assert.equal(remaining.length, 4);
    assert.equal((stdout.match(/^HELD /gm) ?? []).length, 1);
    assert.equal((stdout.match(/^PURGE/gm) ?? []).length, 3);
    assert.equal((await world.hub.db.knex('evidence_items').where({ tenant_id: world.hub.tenantId }).select('id')).length, 4, 'planning deleted something');
  });

  test('an injected clock: expired dismissed clips are purged, verified and held ones kept, every purge audited, chain intact', async () => {
    const knex = world.hub.db.knex;
    const store = evidenceStoreFor(world.hub.running.config);
    const now = new Date(Date.now() + 4 * DAY);
    const plan = await planRetention(knex, { now, tenantId: world.hub.tenantId });
    assert.deepEqual(plan.map((p) => [p.id, p.verdict]).sort(), [[clips.dismissed, 'purge'], [clips.held, 'held']].sort());
    assert.match(plan.find((p) => p.id === clips.dismissed)?.reason ?? '', /dismissed, kept 3 days \(default\)/);

    // Two purgers at once (two workers): SKIP LOCKED shares the work, nothing is purged twice.
    const [a, b] = await Promise.all([purgeExpired(knex, store, { now }), purgeExpired(knex, store, { now })]);
    assert.equal((a?.purged ?? 0) + (b?.purged ?? 0), 1);
    assert.equal((await purgeExpired(knex, store, { now })).purged, 0, 'a second run finds nothing: idempotent');

    await world.hub.admin.get(`/v1/evidence/items/${clips.dismissed}`, 404);
    for (const kept of [clips.verified, clips.held, clips.unreviewed]) await world.hub.admin.get(`/v1/evidence/items/${kept}`, 200);
    assert.equal(await store.stat(`items/${world.hub.tenantId}/${clips.dismissed}.mp4`), null);

    const later = await purgeExpired(knex, store, { now: new Date(Date.now() + 8 * DAY) });
    assert.equal(later.purged, 1, 'unreviewed clips go after 7 days');
    await world.hub.admin.get(`/v1/evidence/items/${clips.unreviewed}`, 404);
    await world.hub.admin.get(`/v1/evidence/items/${clips.held}`, 200);

    const audit = await world.hub.admin.get<{ data: Array<{ action: string; subjectId: string; after: { reason: string } }> }>('/v1/audit?limit=200');
    const purges = audit.data.filter((r) => r.action === 'evidence.purged');
    assert.deepEqual(purges.map((r) => r.subjectId).sort(), [clips.dismissed, clips.unreviewed].sort());
    const [report] = await verifyAuditChains(knex, world.hub.tenantId);
    assert.equal(report?.ok, true, JSON.stringify(report?.problem));
  });

  test('a disk-pressure sweep deletes the oldest unheld evidence but never held evidence; releasing the hold is audited', async () => {
    const knex = world.hub.db.knex;
    const store = evidenceStoreFor(world.hub.running.config);
    const swept = await sweepForDiskPressure(knex, store, { bytesToFree: 10 ** 12 });
    assert.ok(swept.purged >= 1);
    await world.hub.admin.get(`/v1/evidence/items/${clips.verified}`, 404);
    await world.hub.admin.get(`/v1/evidence/items/${clips.held}`, 200);
    assert.ok(await store.stat(`items/${world.hub.tenantId}/${clips.held}.mp4`));
    const farFuture = await purgeExpired(knex, store, { now: new Date(Date.now() + 3650 * DAY) });
    assert.equal(farFuture.purged, 0);
    assert.equal(farFuture.held, 1);

    const staff = world.hub.admin.as(await world.hub.createToken('store_staff', { storeIds: [world.storeId] }));
    await staff.post('/v1/evidence/holds', { targetType: 'item', targetId: clips.held, reason: 'mine' }, 403);
    const holds = await world.hub.admin.get<{ data: Array<{ action: string; after: { holdId: string } }> }>('/v1/audit?limit=200');
    const holdId = holds.data.find((r) => r.action === 'evidence.hold_placed')?.after.holdId ?? '';
    await world.hub.admin.post(`/v1/evidence/holds/${holdId}/release`, {}, 200);
    await world.hub.admin.post(`/v1/evidence/holds/${holdId}/release`, {}, 409);
    assert.equal((await purgeExpired(knex, store, { now: new Date(Date.now() + 3650 * DAY) })).purged, 1, 'released: due for purge again');
    const audit = await world.hub.admin.get<{ data: Array<{ action: string; after: { reason: string } }> }>('/v1/audit?limit=200');
    assert.ok(audit.data.some((r) => r.action === 'evidence.hold_released'));
    assert.ok(audit.data.some((r) => r.action === 'evidence.purged' && r.after.reason === 'disk_pressure'));
    const [report] = await verifyAuditChains(knex, world.hub.tenantId);
    assert.equal(report?.ok, true);
  });

  test('retention policies narrow the defaults per store: one per scope, created and deleted by admins only, audited', async () => {
    const created = await world.hub.admin.post<{ id: string }>('/v1/retention/policies', { outcome: 'verified', keepDays: 1, storeId: world.storeId });
    await world.hub.admin.post('/v1/retention/policies', { outcome: 'verified', keepDays: 2, storeId: world.storeId }, 409);
    await world.hub.admin.post('/v1/retention/policies', { outcome: 'forever', keepDays: 2 }, 400);
    const list = await world.hub.admin.get<{ defaults: Record<string, number>; data: unknown[] }>('/v1/retention/policies');
    assert.deepEqual(list.defaults, { dismissed: 3, unreviewed: 7, verified: 90 });
    assert.equal(list.data.length, 1);
    await world.hub.admin.as(await world.hub.createToken('store_staff', { storeIds: [world.storeId] })).post('/v1/retention/policies', { outcome: 'verified', keepDays: 1 }, 403);
    await world.hub.admin.call('DELETE', `/v1/retention/policies/${created.id}`, 204);
  });
});
