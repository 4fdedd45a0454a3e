import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFile, writeFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Knex } from 'knex';
import { evidenceStoreFor, fixityStatus, runFixityRound, verifyBundle } from '../../hub/evidence/index.js';
import { parsePinnedKeys } from '../../hub/evidence/pinned-keys.js';
import { planRetention, purgeExpired } from '../../hub/retention/index.js';
import { buildEvent } from '../support/factories.js';
import { flipped, readZip } from './bundle-zip.js';
import { makeClip, makeSnapshot, startEvidenceWorld, uploadEvidence, type EvidenceWorld } from './support.js';

const DAY = 24 * 60 * 60 * 1000;
const repoRoot = new URL('../../', import.meta.url).pathname;
const onPglite = process.env.DATABASE_URL ? false : 'the CLI is a second process on the database; in-memory PGlite has one (runs on PostgreSQL)';

describe('evidence custody: fixity and exports under retention', () => {
  let world: EvidenceWorld;
  const path = (name: string) => `${world.dir}/${name}`;

  /** A fresh incident: each test its own event type, so nothing merges into another test's incident. */
  async function incident(type: 'push_out' | 'concealment'): Promise<string> {
    const body = await world.plugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events: [buildEvent({ cameraId: world.cameraId, storeId: world.storeId, type })] }, 200);
    return body.results[0]?.incidentId ?? '';
  }
  const owner = <T>(fn: (trx: Knex.Transaction) => Promise<T>) => world.hub.db.knex.transaction(async (trx) => {
    await trx.raw("SELECT set_config('vigil.tenant_id', ?, true)", [world.hub.tenantId]);
    return fn(trx);
  });

  before(async () => {
    world = await startEvidenceWorld();
  });
  after(() => world.stop());

  test('a byte flipped in storage: the export is refused (409 fixity_failed, audited, integrity incident) and the fixity job finds it', async () => {
    const incidentId = await incident('push_out');
    const uploaded = await uploadEvidence(world, await makeSnapshot(world.dir, 'fixity.jpg'), { kind: 'snapshot', incidentId });
    assert.equal(uploaded.response.status, 204);
    const itemId = uploaded.evidenceId ?? '';
    const store = evidenceStoreFor(world.hub.running.config);
    const file = store.localPath?.(`items/${world.hub.tenantId}/${itemId}.jpg`);
    assert.ok(file);
    const original = await readFile(file);
    await writeFile(file, flipped(original));

    const refused = await world.hub.admin.post<{ error: { code: string; message: string; details: { integrityIncidents: string[] } } }>(`/v1/incidents/${incidentId}/exports`, { redacted: false, caseNumber: 'C-1' }, 409);
    assert.equal(refused.error.code, 'fixity_failed');
    assert.match(refused.error.message, new RegExp(`${itemId}: SHA-256 mismatch`));
    const integrity = refused.error.details.integrityIncidents[0] ?? '';
    const opened = await world.hub.admin.get<{ type: string; severity: string }>(`/v1/incidents/${integrity}`);
    assert.deepEqual([opened.type, opened.severity], ['evidence_integrity', 'high']);
    assert.equal((await owner((trx) => trx('evidence_exports').where({ incident_id: incidentId }))).length, 0, 'no bundle of tampered evidence exists');

    const report = await runFixityRound(world.hub.db.knex, store, { tenantId: world.hub.tenantId, recheckAfterMs: 0 });
    assert.deepEqual(report.failures.map((f) => [f.itemId, f.problem]), [[itemId, 'hash_mismatch']]);
    assert.ok(report.checked >= 1);
    const status = await fixityStatus(world.hub.db.knex);
    assert.equal(status.status, 'failing');
    assert.equal(status.lastRunFailed, 1);
    const audit = await world.hub.admin.get<{ data: Array<{ action: string; subjectId: string; after: { foundBy?: string; integrityIncidentId?: string } }> }>('/v1/audit?limit=200');
    const failures = audit.data.filter((r) => r.action === 'evidence.fixity_failed' && r.subjectId === itemId);
    assert.deepEqual(failures.map((r) => r.after.foundBy).sort(), ['export', 'schedule']);
    assert.ok(failures.every((r) => r.after.integrityIncidentId === integrity), 'one integrity incident per item');
    assert.ok(audit.data.some((r) => r.action === 'incident.export_refused' && r.subjectId === incidentId));
    const ready = await fetch(`${world.hub.url}/readyz`);
    assert.equal(((await ready.json()) as { evidenceFixity: { status: string } }).evidenceFixity.status, 'failing');
    const metrics = await (await fetch(`${world.hub.url}/metrics`)).text();
    assert.match(metrics, /^vigil_evidence_fixity_last_run_failed 1$/m);

    // Put the byte back: the next round finds the item intact again.
    await writeFile(file, original);
    const healed = await runFixityRound(world.hub.db.knex, store, { tenantId: world.hub.tenantId, recheckAfterMs: 0 });
    assert.equal(healed.failed, 0);
    await world.hub.admin.post(`/v1/incidents/${incidentId}/exports`, { redacted: false }, 201);
  });

  test('a purge removes the exports holding a purged item and their links; the plan lists them; a later export keeps the purged item\'s trail', async () => {
    const incidentId = await incident('concealment');
    await world.hub.admin.post(`/v1/incidents/${incidentId}/transitions`, { to: 'acknowledged' }, 200);
    await world.hub.admin.post(`/v1/incidents/${incidentId}/transitions`, { to: 'dismissed', reason: 'paid at the till' }, 200);
    const clip = await uploadEvidence(world, await makeClip(world.dir, 'purge.mp4', 1), { incidentId });
    assert.equal(clip.response.status, 204);
    const clipId = clip.evidenceId ?? '';
    const exported = await world.hub.admin.post<{ id: string; url: string }>(`/v1/incidents/${incidentId}/exports`, {});
    assert.equal((await fetch(`${world.hub.url}${exported.url}`)).status, 200);

    const now = new Date(Date.now() + 4 * DAY);
    const plan = await planRetention(world.hub.db.knex, { now, tenantId: world.hub.tenantId });
    assert.deepEqual(plan.find((p) => p.id === clipId)?.exports, [exported.id]);
    const report = await purgeExpired(world.hub.db.knex, evidenceStoreFor(world.hub.running.config), { now, tenantId: world.hub.tenantId });
    assert.ok(report.exports >= 1);
    assert.equal((await fetch(`${world.hub.url}${exported.url}`)).status, 404, 'the link stops answering');
    assert.equal(await evidenceStoreFor(world.hub.running.config).stat(`exports/${world.hub.tenantId}/${exported.id}.zip`), null);
    const audit = await world.hub.admin.get<{ data: Array<{ action: string; subjectId: string; after: { purgedItemId?: string } }> }>('/v1/audit?limit=200');
    assert.ok(audit.data.some((r) => r.action === 'evidence.export_purged' && r.subjectId === exported.id && r.after.purgedItemId === clipId));

    // The incident's next export (now without the clip) still tells what happened to it.
    await world.hub.admin.post('/v1/evidence/holds', { targetType: 'incident', targetId: incidentId, reason: 'complaint filed' });
    const later = await world.hub.admin.post<{ url: string }>(`/v1/incidents/${incidentId}/exports`, { caseNumber: 'C-2' });
    const bundle = path('after-purge.zip');
    await writeFile(bundle, Buffer.from(await (await fetch(`${world.hub.url}${later.url}`)).arrayBuffer()));
    const extract = JSON.parse((await readZip(bundle)).find((e) => e.name === 'audit.json')?.data.toString() ?? '{}') as { records: Array<{ action: string; subjectId: string }> };
    const ofClip = extract.records.filter((r) => r.subjectId === clipId).map((r) => r.action);
    assert.ok(ofClip.includes('evidence.received') && ofClip.includes('evidence.purged'), ofClip.join(', '));
    assert.ok(extract.records.some((r) => r.action === 'evidence.export_purged' && r.subjectId === exported.id));
    assert.ok(extract.records.some((r) => r.action === 'evidence.hold_placed'));
    const keys = parsePinnedKeys(JSON.stringify(await world.hub.admin.get('/v1/evidence/keys')), 'keys');
    const verified = await verifyBundle(bundle, { keys });
    assert.equal(verified.ok, true, JSON.stringify(verified.problems));
  });

  test('vigil retention plan lists the exports a purge removes, and vigil retention purge --at removes them', { skip: onPglite }, async () => {
    const incidentId = await incident('concealment');
    await world.hub.admin.post(`/v1/incidents/${incidentId}/transitions`, { to: 'acknowledged' }, 200);
    await world.hub.admin.post(`/v1/incidents/${incidentId}/transitions`, { to: 'dismissed', reason: 'staff member' }, 200);
    const clip = await uploadEvidence(world, await makeClip(world.dir, 'cli.mp4', 1), { incidentId });
    const exported = await world.hub.admin.post<{ id: string; url: string }>(`/v1/incidents/${incidentId}/exports`, {});
    // A redacted link of the clip: its rendition is a copy the purge removes too.
    const link = await world.hub.admin.post<{ url: string }>(`/v1/evidence/items/${clip.evidenceId}/links`, {});
    assert.equal((await fetch(`${world.hub.url}${link.url}`)).status, 200);
    const connection = (world.hub.db.knex.client as { config: { connection: { connectionString: string } } }).config.connection.connectionString;
    const cli = (...args: string[]) => promisify(execFile)(process.execPath, [`${repoRoot}bin/vigil.mjs`, 'retention', ...args, '--tenant', world.hub.tenantId, '--at', new Date(Date.now() + 4 * DAY).toISOString()], {
      cwd: repoRoot, timeout: 60_000, env: { ...process.env, DATABASE_URL: connection, VIGIL_DATA_DIR: world.dir },
    });
    const plan = await cli('plan');
    assert.match(plan.stdout, new RegExp(`EXPORT ${world.hub.tenantId} +${exported.id} +holds ${clip.evidenceId}`));
    assert.match(plan.stdout, new RegExp(`RENDITION ${world.hub.tenantId} +renditions/${world.hub.tenantId}/${clip.evidenceId}-[0-9a-f]{16}\\.redacted\\.mp4 +redacted copy of ${clip.evidenceId}`));
    assert.match(plan.stdout, new RegExp(`LINKS +${world.hub.tenantId} +[1-9]\\d* expired, \\d+ revoked`));
    const purge = await cli('purge');
    assert.match(purge.stdout, /purged [1-9]\d* item\(s\), \d+ bytes, [1-9]\d* export\(s\), [1-9]\d* rendition\(s\), [1-9]\d* dead link\(s\)/);
    assert.equal((await fetch(`${world.hub.url}${exported.url}`)).status, 404);
    await world.hub.admin.get(`/v1/evidence/items/${clip.evidenceId}`, 404);
  });
});
