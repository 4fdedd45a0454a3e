import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ApiClient } from '../../../test/support/api-client.js';
import { buildEvent } from '../../../test/support/factories.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';

interface Explanation { allowed: boolean; text: string; rule: { source: string; conditions: unknown; inverted: boolean } | null }
interface Answer { principal: { id: string; role: string; storeIds: string[] }; question: { id: string | null }; saved: Explanation; draft: Explanation | null }
interface Refusal { error: { code: string; message: string; details?: { issues?: Array<{ path: string }> } } }

describe('POST /v1/policies/explain: which rule decides, under the saved policy and a draft', () => {
  let hub: TestHub;
  let person: string;
  let laneOne: string;
  const incidents: Record<'laneOne' | 'laneTwo' | 'otherStore', string> = { laneOne: '', laneTwo: '', otherStore: '' };
  let otherTenant: { admin: ApiClient; userId: string };

  const explain = (body: Record<string, unknown>, status = 200, client: ApiClient = hub.admin) => client.call<Answer>('POST', '/v1/policies/explain', status, body);

  before(async () => {
    hub = await startTestHub();
    const store = await hub.createStore();
    const elsewhere = await hub.createStore();
    laneOne = (await hub.admin.post<{ id: string }>('/v1/lanes', { storeId: store.id, name: 'Lane 1', posWorkstationId: 'POS1' })).id;
    const laneTwo = (await hub.admin.post<{ id: string }>('/v1/lanes', { storeId: store.id, name: 'Lane 2', posWorkstationId: 'POS2' })).id;
    const cameras = [await hub.createCamera(store.id, { laneId: laneOne }), await hub.createCamera(store.id, { laneId: laneTwo })];
    const plugin = hub.admin.as(await hub.createPluginToken([store.id, elsewhere.id]));
    const farCamera = await hub.createCamera(elsewhere.id);
    const sent = await plugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', {
      events: [buildEvent({ cameraId: cameras[0]!.id, storeId: store.id }), buildEvent({ cameraId: cameras[1]!.id, storeId: store.id }), buildEvent({ cameraId: farCamera.id, storeId: elsewhere.id })],
    }, 200);
    [incidents.laneOne, incidents.laneTwo, incidents.otherStore] = sent.results.map((r) => r.incidentId) as [string, string, string];
    person = (await hub.admin.post<{ id: string }>('/v1/users', { email: 'staff@example.com', role: 'store_staff', storeIds: [store.id] })).id;
    const other = await hub.createTenant('Elsewhere Retail');
    otherTenant = { admin: other.admin, userId: (await other.admin.post<{ id: string }>('/v1/users', { email: 'far@example.com', role: 'auditor' })).id };
  });
  after(() => hub.stop());

  test('a person of the store may read its incident by a built-in rule, and not another store\'s', async () => {
    const allowed = await explain({ principalId: person, action: 'read', subject: 'Incident', id: incidents.laneOne });
    assert.equal(allowed.principal.role, 'store_staff');
    assert.equal(allowed.saved.allowed, true);
    assert.equal(allowed.saved.rule?.source, 'built-in rules of store_staff');
    assert.equal(allowed.draft, null, 'no draft was sent');
    const denied = await explain({ principalId: person, action: 'read', subject: 'Incident', id: incidents.otherStore });
    assert.equal(denied.saved.allowed, false);
    assert.match(denied.saved.text, /^DENIED: .* may not read Incident /);
  });

  test('under a draft narrowing store staff to lane 1, lane 2\'s incident is denied while the saved policy still allows it; nothing is saved', async () => {
    const draft = { role: 'store_staff', mode: 'replace', rules: [{ action: ['read', 'transition', 'comment'], subject: 'Incident', conditions: { storeId: { $in: '${user.storeIds}' }, laneId: laneOne } }] };
    const laneTwo = await explain({ principalId: person, action: 'read', subject: 'Incident', id: incidents.laneTwo, draft });
    assert.equal(laneTwo.saved.allowed, true);
    assert.equal(laneTwo.draft?.allowed, false);
    const laneOneAnswer = await explain({ principalId: person, action: 'read', subject: 'Incident', id: incidents.laneOne, draft });
    assert.equal(laneOneAnswer.draft?.allowed, true);
    assert.equal(laneOneAnswer.draft?.rule?.source, 'the unsaved draft for store_staff');
    assert.deepEqual((await hub.admin.get<{ data: unknown[] }>('/v1/policies/store_staff/versions')).data, [], 'the draft was not saved');
    const forAnotherRole = await explain({ principalId: person, action: 'read', subject: 'Incident', id: incidents.laneTwo, draft: { ...draft, role: 'auditor' } });
    assert.equal(forAnotherRole.draft, null, 'a draft of another role does not decide for this person');
  });

  test('a draft with a problem is refused with its path under draft; a subject type without a record is explained too', async () => {
    const refused = await hub.admin.call<Refusal>('POST', '/v1/policies/explain', 400, {
      principalId: person, action: 'read', subject: 'Incident', draft: { role: 'store_staff', rules: [{ action: 'read', subject: 'Incident', conditions: { stor_id: 'x' } }] },
    });
    assert.equal(refused.error.code, 'validation_failed');
    assert.deepEqual(refused.error.details?.issues?.map((i) => i.path), ['draft.rules[0].conditions.stor_id']);
    const typeOnly = await explain({ principalId: person, action: 'read', subject: 'Incident' });
    assert.equal(typeOnly.question.id, null);
    assert.match(typeOnly.saved.text, /holds for some records only/);
  });

  test('another tenant\'s person or record is a 404; bad names are 400s; a role that may not read policies gets 403', async () => {
    const notHere = await hub.admin.call<Refusal>('POST', '/v1/policies/explain', 404, { principalId: otherTenant.userId, action: 'read', subject: 'Incident' });
    assert.equal(notHere.error.code, 'not_found');
    await hub.admin.call('POST', '/v1/policies/explain', 404, { principalId: 'usr_00000000000000000000000000', action: 'read', subject: 'Incident' });
    const theirIncident = (await otherTenant.admin.get<{ data: Array<{ id: string }> }>('/v1/incidents')).data[0]?.id ?? 'inc_0000000000000000000000000a';
    await hub.admin.call('POST', '/v1/policies/explain', 404, { principalId: person, action: 'read', subject: 'Incident', id: theirIncident });
    for (const body of [
      { principalId: person, action: 'steal', subject: 'Incident' },
      { principalId: person, action: 'read', subject: 'all' },
      { principalId: `${person}\u0000`, action: 'read', subject: 'Incident' },
      { principalId: person, action: 'read', subject: 'Incident', id: 'x'.repeat(81) },
      { principalId: person, action: 'read', subject: 'Incident', extra: true },
    ]) {
      const answer = await hub.admin.call<Refusal>('POST', '/v1/policies/explain', 400, body);
      assert.match(answer.error.code, /^(validation_failed|bad_request|invalid_input)$/);
    }
    const reviewer = hub.admin.as(await hub.createToken('central_reviewer'));
    await reviewer.call('POST', '/v1/policies/explain', 403, { principalId: person, action: 'read', subject: 'Incident' });
  });
});
