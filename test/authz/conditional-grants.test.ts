import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CONDITION_FIELDS, SUBJECTS, type SubjectName } from '../../policies/index.js';
import type { ApiClient } from '../support/api-client.js';
import { buildEvent } from '../support/factories.js';
import { startTestHub, type TestHub } from '../support/hub.js';

type Row = Record<string, unknown> & { id: string };

/** Subjects whose records the API lists (and, where it has one, fetches singly): conditions are checked there. */
const LISTED: Partial<Record<Exclude<SubjectName, 'all'>, { list: string; single: boolean }>> = {
  Region: { list: '/v1/regions', single: true },
  Store: { list: '/v1/stores', single: true },
  Lane: { list: '/v1/lanes', single: true },
  Camera: { list: '/v1/cameras', single: true },
  Incident: { list: '/v1/incidents', single: true },
  AuditRecord: { list: '/v1/audit', single: false },
  ApiToken: { list: '/v1/tokens', single: false },
  ServiceIdentity: { list: '/v1/service-identities', single: true },
};

describe('every conditional grant is enforced or refused at save', () => {
  let hub: TestHub;
  let auditor: ApiClient;
  const stores: Array<{ id: string; regionId: string }> = [];
  let plugin: ApiClient;

  before(async () => {
    hub = await startTestHub();
    for (let i = 0; i < 2; i += 1) {
      const store = await hub.createStore();
      stores.push(store);
      const lane = await hub.admin.post<{ id: string }>('/v1/lanes', { storeId: store.id, name: `Lane ${i}`, posWorkstationId: `POS${i}` });
      await hub.createCamera(store.id, { laneId: lane.id });
      await hub.createCamera(store.id);
    }
    plugin = hub.admin.as(await hub.createPluginToken(stores.map((s) => s.id)));
    const cameras = (await hub.admin.get<{ data: Row[] }>('/v1/cameras')).data;
    const events = cameras.map((camera, i) => buildEvent({ cameraId: camera.id, storeId: String(camera.storeId), type: i % 2 ? 'scan_avoidance' : 'zone_dwell', severity: i % 3 ? 'high' : 'low', confidence: 0.5 + i / 10 }));
    await plugin.post('/v1/events', { events }, 200);
    await hub.admin.post('/v1/service-identities', { name: 'till A', storeIds: [stores[0]!.id] });
    await hub.admin.post('/v1/service-identities', { name: 'till B', storeIds: [stores[1]!.id] });
    auditor = hub.admin.as(await hub.createToken('auditor'));
  });
  after(() => hub.stop());

  for (const [subject, route] of Object.entries(LISTED)) {
    for (const field of CONDITION_FIELDS[subject as keyof typeof CONDITION_FIELDS]?.fields ?? []) {
      test(`read ${subject} where ${field} = a value: the list and single reads show exactly the matching records`, async () => {
        const sample = (await hub.admin.get<{ data: Row[] }>(`${route.list}?limit=200`)).data;
        const value = sample.find((row) => row[field] !== null && row[field] !== undefined)?.[field] ?? null;
        await hub.admin.call('PUT', '/v1/policies/auditor', 200, { mode: 'replace', reason: `only ${field}`, rules: [{ action: 'read', subject, conditions: { [field]: value } }] });
        const everything = (await hub.admin.get<{ data: Row[] }>(`${route.list}?limit=200`)).data;
        const expected = everything.filter((row) => row[field] === value).map((row) => row.id);
        const seen = (await auditor.get<{ data: Row[] }>(`${route.list}?limit=200`)).data.map((row) => row.id);
        assert.ok(expected.length > 0);
        assert.deepEqual(seen, expected);
        const hidden = everything.find((row) => row[field] !== value);
        if (route.single && hidden) await auditor.get(`${route.list}/${hidden.id}`, 404);
        if (route.single) await auditor.get(`${route.list}/${expected[0]}`, 200);
      });
    }
  }

  test('a plugin granted ingest for one store only has the other store\'s events rejected', async () => {
    await hub.admin.call('PUT', '/v1/policies/plugin', 200, { mode: 'replace', reason: 'store 0 only', rules: [{ action: 'ingest', subject: 'Event', conditions: { storeId: stores[0]!.id } }, { action: 'read', subject: ['Store', 'Camera', 'Lane'] }] });
    const cameras = (await hub.admin.get<{ data: Row[] }>('/v1/cameras')).data;
    const events = stores.map((store) => buildEvent({ cameraId: cameras.find((c) => c.storeId === store.id)!.id, storeId: store.id }));
    const body = await plugin.post<{ results: Array<{ status: string }> }>('/v1/events', { events }, 200);
    assert.deepEqual(body.results.map((r) => r.status), ['created', 'rejected']);
  });

  test('on every subject whose routes cannot check a record, a condition is refused at save with its path', async () => {
    const refusedSubjects = SUBJECTS.filter((s) => s === 'all' || !CONDITION_FIELDS[s]);
    assert.ok(refusedSubjects.includes('Webhook') && refusedSubjects.includes('Usage') && refusedSubjects.includes('RetentionPolicy'));
    for (const subject of refusedSubjects) {
      const refused = await hub.admin.call<{ error: { code: string; details: { issues: Array<{ path: string; message: string }> } } }>('PUT', '/v1/policies/auditor', 400, {
        reason: 'conditional', rules: [{ action: 'read', subject, conditions: { id: 'x' } }],
      });
      assert.equal(refused.error.code, 'validation_failed');
      assert.deepEqual(refused.error.details.issues.map((i) => i.path), ['rules[0].conditions'], subject);
      assert.match(refused.error.details.issues[0]!.message, /subjects that take conditions: Region/);
    }
  });

  test('policies are read per role: an auditor limited to store_staff sees that role only', async () => {
    await hub.admin.call('PUT', '/v1/policies/auditor', 200, { mode: 'replace', reason: 'staff only', rules: [{ action: 'read', subject: 'Policy', conditions: { role: 'store_staff' } }] });
    const list = await auditor.get<{ data: Array<{ role: string }> }>('/v1/policies');
    assert.deepEqual(list.data.map((p) => p.role), ['store_staff']);
    await auditor.get('/v1/policies/store_staff');
    await auditor.get('/v1/policies/lp_admin', 403);
    await auditor.get('/v1/policies/lp_admin/versions', 403);
    await auditor.get('/v1/policies/lp_admin/diff?from=0&to=1', 403);
  });
});
