import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ApiClient } from '../../../test/support/api-client.js';
import { buildEvent } from '../../../test/support/factories.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';

describe('policies as data', () => {
  let hub: TestHub;
  let staff: ApiClient;
  let laneOne: { id: string };
  const incidents: Record<string, string> = {};

  before(async () => {
    hub = await startTestHub();
    const store = await hub.createStore();
    laneOne = await hub.admin.post<{ id: string }>('/v1/lanes', { storeId: store.id, name: 'Lane 1', posWorkstationId: 'POS1' });
    const laneTwo = await hub.admin.post<{ id: string }>('/v1/lanes', { storeId: store.id, name: 'Lane 2', posWorkstationId: 'POS2' });
    const cam1 = await hub.createCamera(store.id, { laneId: laneOne.id });
    const cam2 = await hub.createCamera(store.id, { laneId: laneTwo.id });
    const plugin = hub.admin.as(await hub.createPluginToken([store.id]));
    const body = await plugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events: [buildEvent({ cameraId: cam1.id, storeId: store.id }), buildEvent({ cameraId: cam2.id, storeId: store.id })] }, 200);
    incidents.one = body.results[0]!.incidentId;
    incidents.two = body.results[1]!.incidentId;
    staff = hub.admin.as(await hub.createToken('store_staff', { storeIds: [store.id] }));
  });
  after(() => hub.stop());

  test('an admin narrows store staff to one lane; the next request sees it; the audit shows it; a revert restores it', async () => {
    const before = await staff.get<{ data: Array<{ id: string }> }>('/v1/incidents');
    assert.equal(before.data.length, 2);
    const saved = await hub.admin.call<{ version: number }>('PUT', '/v1/policies/store_staff', 200, {
      mode: 'replace',
      reason: 'pilot: lane 1 only',
      rules: [{ action: ['read', 'transition', 'comment'], subject: 'Incident', conditions: { storeId: { $in: '${user.storeIds}' }, laneId: laneOne.id } }],
    });
    assert.equal(saved.version, 1);
    const narrowed = await staff.get<{ data: Array<{ id: string }> }>('/v1/incidents');
    assert.deepEqual(narrowed.data.map((i) => i.id), [incidents.one]);
    await staff.get(`/v1/incidents/${incidents.two}`, 404);
    const auditor = hub.admin.as(await hub.createToken('auditor'));
    const audit = await auditor.get<{ data: Array<{ action: string; subjectId: string; after: { version: number; reason: string } }> }>('/v1/audit?action=policy.updated');
    assert.equal(audit.data[0]?.subjectId, 'store_staff');
    assert.equal(audit.data[0]?.after.reason, 'pilot: lane 1 only');
    const diff = await hub.admin.get<{ added: unknown[]; removed: unknown[] }>('/v1/policies/store_staff/diff?from=0&to=1');
    assert.equal(diff.added.length, 1);
    await hub.admin.call('PUT', '/v1/policies/store_staff', 200, { mode: 'extend', rules: [], reason: 'pilot over' });
    assert.equal((await staff.get<{ data: unknown[] }>('/v1/incidents')).data.length, 2);
    const reverted = await hub.admin.post<{ version: number; revertsVersion: number }>('/v1/policies/store_staff/revert', { version: 1, reason: 'pilot again' }, 200);
    assert.deepEqual([reverted.version, reverted.revertsVersion], [3, 1]);
    assert.equal((await staff.get<{ data: unknown[] }>('/v1/incidents')).data.length, 1);
  });

  test('an invalid policy is refused with every offending path and nothing changes', async () => {
    const versions = await hub.admin.get<{ data: unknown[] }>('/v1/policies/auditor/versions');
    const refused = await hub.admin.call<{ error: { code: string; details: { issues: Array<{ path: string }> } } }>('PUT', '/v1/policies/auditor', 400, {
      reason: 'typo', rules: [{ action: 'read', subject: 'Incident', conditions: { stor_id: 'x' } }, { action: 'read', subject: 'Incident', conditions: { storeId: { $where: 'x' } } }],
    });
    assert.equal(refused.error.code, 'validation_failed');
    assert.deepEqual(refused.error.details.issues.map((i) => i.path), ['rules[0].conditions.stor_id', 'rules[1].conditions.storeId.$where']);
    assert.deepEqual(await hub.admin.get('/v1/policies/auditor/versions'), versions);
  });

  test('only admins edit policies', async () => {
    await staff.call('PUT', '/v1/policies/store_staff', 403, { reason: 'self-service', rules: [{ action: 'manage', subject: 'all' }] });
    const reviewer = hub.admin.as(await hub.createToken('central_reviewer'));
    await reviewer.get('/v1/policies', 403);
  });
});

describe('field-level rules', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub();
  });
  after(() => hub.stop());

  test('a tenant rule hides camera stream URIs and ONVIF identity from store staff in every presenter', async () => {
    const store = await hub.createStore();
    const camera = await hub.admin.post<{ id: string; streams: Record<string, string> }>('/v1/cameras', { storeId: store.id, name: 'Till 3', streams: { analysis: 'rtsp://10.0.0.5/sub' }, onvif: { serial: 'X1' } });
    const staff = hub.admin.as(await hub.createToken('store_staff', { storeIds: [store.id] }));
    assert.equal((await staff.get<{ streams?: unknown }>(`/v1/cameras/${camera.id}`)).streams !== undefined, true);
    await hub.admin.call('PUT', '/v1/policies/store_staff', 200, { reason: 'privacy', rules: [{ action: 'read', subject: 'Camera', fields: ['streams', 'onvif'], inverted: true }] });
    const single = await staff.get<Record<string, unknown>>(`/v1/cameras/${camera.id}`);
    assert.equal(single.streams, undefined);
    assert.equal(single.onvif, undefined);
    assert.equal(single.name, 'Till 3');
    const list = await staff.get<{ data: Array<Record<string, unknown>> }>('/v1/cameras');
    assert.ok(list.data.every((c) => c.streams === undefined && c.name !== undefined));
    const admin = await hub.admin.get<Record<string, unknown>>(`/v1/cameras/${camera.id}`);
    assert.deepEqual(admin.streams, { analysis: 'rtsp://10.0.0.5/sub' });
  });
});
