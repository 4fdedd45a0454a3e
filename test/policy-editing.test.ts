import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ApiClient } from './support/api-client.js';
import { buildEvent } from './support/factories.js';
import { startTestHub, type TestHub } from './support/hub.js';

type Visible = { subject: string; before: number; after: number; byStore: Array<{ storeId: string; before: number; after: number }> };
type DryRun = { dryRun: true; visible: Visible[]; gained: string[]; lost: string[]; warnings: Array<{ path: string; message: string }> };
type Incident = { id: string; storeId: string; laneId: string | null; state: string; allowedTransitions: string[] };

describe('policy editing an admin can trust', () => {
  let hub: TestHub;
  let staff: ApiClient;
  const stores: Array<{ id: string; regionId: string }> = [];

  before(async () => {
    hub = await startTestHub();
    const events = [];
    for (let i = 0; i < 3; i += 1) {
      const store = await hub.createStore();
      stores.push(store);
      const camera = await hub.createCamera(store.id);
      events.push(buildEvent({ cameraId: camera.id, storeId: store.id, type: 'scan_avoidance' }));
      if (i === 0) events.push(buildEvent({ cameraId: (await hub.createCamera(store.id)).id, storeId: store.id, type: 'zone_dwell' }));
    }
    const plugin = hub.admin.as(await hub.createPluginToken(stores.map((s) => s.id)));
    await plugin.post('/v1/events', { events }, 200);
    staff = hub.admin.as(await hub.createToken('store_staff', { storeIds: [stores[0]!.id] }));
  });
  after(() => hub.stop());

  test('dry run: "only checkout incidents" as extend shows the widening per store and warns; nothing is saved', async () => {
    const draft = { mode: 'extend', rules: [{ action: 'read', subject: 'Incident', conditions: { type: 'scan_avoidance' } }] };
    const dry = await hub.admin.call<DryRun>('PUT', `/v1/policies/store_staff?dryRun=true&storeId=${stores[0]!.id}`, 200, draft);
    const incidents = dry.visible.find((v) => v.subject === 'Incident')!;
    assert.deepEqual([incidents.before, incidents.after], [2, 4]);
    assert.deepEqual(incidents.byStore.map((s) => [s.storeId, s.before, s.after]), stores.map((s, i) => [s.id, i === 0 ? 2 : 0, 1 + (i === 0 ? 1 : 0)]).sort());
    assert.match(dry.warnings[0]!.message, /beyond the built-in scope of store_staff/);
    assert.deepEqual((await hub.admin.get<{ data: unknown[] }>('/v1/policies/store_staff/versions')).data, []);
    assert.equal((await staff.get<{ data: unknown[] }>('/v1/incidents')).data.length, 2);
    const narrowed = await hub.admin.call<DryRun>('PUT', `/v1/policies/store_staff?dryRun=true&storeId=${stores[0]!.id}`, 200, {
      mode: 'replace', rules: [{ action: 'read', subject: 'Incident', conditions: { storeId: { $in: '${user.storeIds}' }, type: 'scan_avoidance' } }],
    });
    assert.deepEqual(narrowed.visible.find((v) => v.subject === 'Incident')!.byStore.map((s) => [s.before, s.after]), [[2, 1]]);
    assert.ok(narrowed.lost.includes('transition Incident (some records)') && narrowed.lost.includes('read Camera (some records)'), JSON.stringify(narrowed.lost));
    assert.deepEqual(narrowed.warnings, []);
  });

  test('dry run for a regional manager counts the stores of the region asked for and lists what is lost', async () => {
    const regionId = stores[1]!.regionId;
    const dry = await hub.admin.call<DryRun & { as: { regionIds: string[]; storeIds: string[] } }>('PUT', `/v1/policies/regional_manager?dryRun=true&regionId=${regionId}`, 200, { mode: 'replace', rules: [] });
    assert.deepEqual(dry.as.regionIds, [regionId]);
    assert.deepEqual(dry.as.storeIds, [stores[1]!.id]);
    assert.deepEqual(dry.visible.find((v) => v.subject === 'Incident')!.byStore, [{ storeId: stores[1]!.id, before: 1, after: 0 }]);
    assert.ok(dry.lost.includes('read RoutingPolicy (some records)'), JSON.stringify(dry.lost));
    assert.deepEqual(dry.gained, []);
  });

  test('saving answers with warnings; manage all for store staff is refused', async () => {
    const saved = await hub.admin.call<{ version: number; warnings: Array<{ path: string; message: string }> }>('PUT', '/v1/policies/store_staff', 200, {
      mode: 'extend', reason: 'checkout', rules: [{ action: 'read', subject: 'Incident', conditions: { type: 'scan_avoidance' } }],
    });
    assert.deepEqual(saved.warnings.map((w) => w.path), ['rules[0]']);
    await hub.admin.call('PUT', '/v1/policies/store_staff', 409, { mode: 'replace', reason: 'all', rules: [{ action: 'manage', subject: 'all' }] });
  });

  test('the diff is deep and canonical and includes the mode; huge versions are refused with 400', async () => {
    const v = (rules: unknown[], mode: string) => hub.admin.call<{ version: number }>('PUT', '/v1/policies/auditor', 200, { mode, reason: 'diff', rules });
    const a = await v([{ action: 'read', subject: 'Incident', conditions: { type: 'scan_avoidance', storeId: stores[0]!.id } }], 'extend');
    const b = await v([{ action: 'read', subject: 'Incident', conditions: { type: 'zone_dwell', storeId: stores[0]!.id } }], 'replace');
    const c = await v([{ subject: 'Incident', conditions: { storeId: stores[0]!.id, type: 'zone_dwell' }, action: 'read' }], 'replace');
    const changed = await hub.admin.get<{ mode: { from: string; to: string; changed: boolean }; added: unknown[]; removed: unknown[]; effective: { removed: unknown[] } }>(`/v1/policies/auditor/diff?from=${a.version}&to=${b.version}`);
    assert.deepEqual(changed.mode, { from: 'extend', to: 'replace', changed: true });
    assert.equal(changed.added.length, 1);
    assert.equal(changed.removed.length, 1);
    assert.ok(changed.effective.removed.length > 1, 'switching to replace drops the built-in rules in force');
    const same = await hub.admin.get<{ added: unknown[]; removed: unknown[]; unchanged: number; mode: { changed: boolean } }>(`/v1/policies/auditor/diff?from=${b.version}&to=${c.version}`);
    assert.deepEqual([same.added.length, same.removed.length, same.unchanged, same.mode.changed], [0, 0, 1, false]);
    for (const query of ['from=0&to=99999999999999999999', 'from=1e300&to=1', 'from=-1&to=1', 'from=0&to=abc']) {
      const refused = await hub.admin.call<{ error: { code: string } }>('GET', `/v1/policies/auditor/diff?${query}`, 400);
      assert.equal(refused.error.code, 'validation_failed');
    }
    await hub.admin.get('/v1/policies/auditor/diff?from=0&to=2147483647', 404);
    await hub.admin.call('POST', '/v1/policies/auditor/revert', 400, { version: 1e20, reason: 'big' });
  });

  test('every problem comes at once: role, mode and each rule, with the valid choices', async () => {
    const refused = await hub.admin.call<{ error: { details: { issues: Array<{ path: string; message: string }> } } }>('PUT', '/v1/policies/janitor', 400, {
      mode: 'merge', reason: 'typos',
      rules: [{ action: 'peek', subject: 'Incident' }, { action: 'read', subject: 'Incident', conditions: { state: 'closed' } }, { action: 'read', subject: 'Usage', conditions: { metric: 'events' } }],
    });
    const issues = refused.error.details.issues;
    assert.deepEqual(issues.map((i) => i.path), ['role', 'mode', 'rules[0].action', 'rules[1].conditions.state', 'rules[2].conditions']);
    assert.match(issues[0]!.message, /valid roles: store_staff/);
    assert.match(issues[2]!.message, /valid actions: manage, read, create/);
    assert.match(issues[3]!.message, /valid values: new, acknowledged/);
  });

  test('allowedTransitions are the caller\'s: none for an auditor, no reviewer override for store staff', async () => {
    const incident = (await staff.get<{ data: Incident[] }>('/v1/incidents')).data.find((i) => i.storeId === stores[0]!.id)!;
    assert.deepEqual(incident.allowedTransitions, ['acknowledged']);
    const auditor = hub.admin.as(await hub.createToken('auditor'));
    assert.deepEqual((await auditor.get<Incident>(`/v1/incidents/${incident.id}`)).allowedTransitions, []);
    await staff.post(`/v1/incidents/${incident.id}/transitions`, { to: 'acknowledged' }, 200);
    const dismissed = await staff.post<Incident>(`/v1/incidents/${incident.id}/transitions`, { to: 'dismissed', reason: 'customer paid' }, 200);
    assert.deepEqual(dismissed.allowedTransitions, []);
    assert.deepEqual((await hub.admin.get<Incident>(`/v1/incidents/${incident.id}`)).allowedTransitions, ['reopened']);
  });

  test('a field hidden by policy cannot be used as a list filter', async () => {
    await hub.admin.call('PUT', '/v1/policies/store_staff', 200, { mode: 'extend', reason: 'hide lanes', rules: [{ action: 'read', subject: 'Incident', fields: ['laneId', 'cameraId'], inverted: true }] });
    const list = await staff.get<{ data: Array<Record<string, unknown>> }>('/v1/incidents');
    assert.ok(list.data.length > 0 && list.data.every((i) => !('cameraId' in i)));
    const refused = await staff.call<{ error: { code: string; message: string } }>('GET', `/v1/incidents?cameraId=cam_${'0'.repeat(26)}`, 403);
    assert.match(refused.error.message, /filter incidents by cameraId/);
    await staff.get(`/v1/incidents?storeId=${stores[0]!.id}`, 200);
    await hub.admin.get(`/v1/incidents?cameraId=cam_${'0'.repeat(26)}`, 200);
  });
});
