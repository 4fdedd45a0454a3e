import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeClip, startEvidenceWorld, uploadEvidence, type EvidenceWorld } from './support.js';

interface ExportRecord { id: string; incidentId: string; redacted: boolean; bytes: number; sha256: string; createdBy: string; createdAt: string; caseNumber: string | null; recipient: string | null; purpose: string | null }

describe('GET /v1/incidents/{id}/exports: the bundles already exported, read like their incident', () => {
  let world: EvidenceWorld;
  const code = (body: unknown) => (body as { error: { code: string } }).error.code;

  before(async () => {
    world = await startEvidenceWorld();
    await uploadEvidence(world, await makeClip(world.dir, 'clip.mp4', 1));
  });
  after(() => world?.stop());

  test('lists the exports newest first with their custody fields and hash, never a link', async () => {
    assert.deepEqual((await world.hub.admin.get<{ data: ExportRecord[] }>(`/v1/incidents/${world.incidentId}/exports`)).data, []);
    const first = await world.hub.admin.post<{ id: string; sha256: string; bytes: number }>(`/v1/incidents/${world.incidentId}/exports`, { caseNumber: 'CASE-1', recipient: 'Officer Lee', purpose: 'police report' });
    const second = await world.hub.admin.post<{ id: string }>(`/v1/incidents/${world.incidentId}/exports`, { redacted: false });
    const listed = await world.hub.admin.get<{ data: Array<ExportRecord & { url?: string }> }>(`/v1/incidents/${world.incidentId}/exports`);
    assert.deepEqual(listed.data.map((e) => e.id), [second.id, first.id]);
    const [newest, oldest] = listed.data;
    assert.deepEqual([newest?.redacted, oldest?.redacted], [false, true]);
    assert.deepEqual([oldest?.caseNumber, oldest?.recipient, oldest?.purpose, oldest?.sha256, oldest?.bytes, oldest?.incidentId], ['CASE-1', 'Officer Lee', 'police report', first.sha256, first.bytes, world.incidentId]);
    assert.equal(newest?.caseNumber, null);
    assert.ok(listed.data.every((e) => e.url === undefined && e.createdBy.length > 0 && !Number.isNaN(Date.parse(e.createdAt))));
    assert.deepEqual((await world.hub.admin.get<{ data: ExportRecord[] }>(`/v1/incidents/${world.otherIncidentId}/exports`)).data, [], 'another incident\'s exports are not mixed in');
  });

  test('store staff read their store\'s exports; another store\'s incident and another tenant\'s are 404', async () => {
    const staff = world.hub.admin.as(await world.hub.createToken('store_staff', { storeIds: [world.storeId] }));
    assert.ok((await staff.get<{ data: ExportRecord[] }>(`/v1/incidents/${world.incidentId}/exports`)).data.length >= 1);
    assert.equal(code(await staff.get(`/v1/incidents/${world.otherIncidentId}/exports`, 404)), 'not_found');
    const other = await world.hub.createTenant();
    assert.equal(code(await other.admin.get(`/v1/incidents/${world.incidentId}/exports`, 404)), 'not_found');
  });

  test('a malformed incident id, a NUL byte in it, or an unknown one is refused with a stable code', async () => {
    assert.equal(code(await world.hub.admin.get('/v1/incidents/not-an-id/exports', 400)), 'validation_failed');
    assert.equal(code(await world.hub.admin.get(`/v1/incidents/${world.incidentId.slice(0, -1)}%00/exports`, 400)), 'invalid_input', 'the input guard refuses the NUL byte');
    assert.equal(code(await world.hub.admin.get(`/v1/incidents/inc_${'0'.repeat(26)}/exports`, 404)), 'not_found');
    assert.equal((await world.hub.admin.as('vgl_nope').raw('GET', `/v1/incidents/${world.incidentId}/exports`)).status, 401);
  });
});
