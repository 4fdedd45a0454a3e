import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { INCIDENT_STATES, TRANSITION_TARGETS, allowedTargets, type IncidentState, type TransitionTarget } from '../../../contracts/index.js';
import type { ApiClient } from '../../../test/support/api-client.js';
import { buildEvent } from '../../../test/support/factories.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';

interface IncidentBody {
  id: string;
  state: string;
  version: number;
  allowedTransitions: string[];
  outcome: unknown;
  dismissReason: string | null;
  assigneeId: string | null;
}

const outcome = { result: 'recovered', recoveredValue: 42.5, notes: 'Items returned at the exit.' };

/** The shortest path of transitions from `new` to each state. */
const PATHS: Record<IncidentState, TransitionTarget[]> = {
  new: [],
  acknowledged: ['acknowledged'],
  verified: ['acknowledged', 'verified'],
  dismissed: ['acknowledged', 'dismissed'],
  intervened: ['acknowledged', 'verified', 'intervened'],
  escalated: ['acknowledged', 'verified', 'escalated'],
  resolved: ['acknowledged', 'verified', 'intervened', 'resolved'],
};

const bodyFor = (to: TransitionTarget) => ({
  to,
  ...(to === 'dismissed' || to === 'reopened' ? { reason: `because ${to}` } : {}),
  ...(to === 'resolved' ? { outcome } : {}),
});

describe('incident workflow', () => {
  let hub: TestHub;
  let plugin: ApiClient;
  let reviewer: ApiClient;
  let staff: ApiClient;
  let store: { id: string };
  let camera: { id: string };
  let minute = 0;

  before(async () => {
    hub = await startTestHub();
    store = await hub.createStore();
    camera = await hub.createCamera(store.id);
    plugin = hub.admin.as(await hub.createPluginToken([store.id]));
    reviewer = hub.admin.as(await hub.createToken('central_reviewer'));
    staff = hub.admin.as(await hub.createToken('store_staff', { storeIds: [store.id] }));
  });
  after(() => hub.stop());

  async function freshIncident(): Promise<string> {
    minute += 10;
    const occurredAt = new Date(Date.UTC(2026, 5, 1, 8, minute)).toISOString();
    const body = await plugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events: [buildEvent({ cameraId: camera.id, storeId: store.id, occurredAt })] }, 200);
    return body.results[0]!.incidentId;
  }

  async function incidentIn(state: IncidentState): Promise<string> {
    const id = await freshIncident();
    for (const step of PATHS[state]) await reviewer.post(`/v1/incidents/${id}/transitions`, bodyFor(step), 200);
    return id;
  }

  for (const from of INCIDENT_STATES) {
    for (const to of TRANSITION_TARGETS) {
      const legal = allowedTargets(from).includes(to);
      test(`${from} -> ${to} is ${legal ? 'allowed' : 'refused with 409 and the allowed states'}`, async () => {
        const id = await incidentIn(from);
        if (legal) {
          const after = await reviewer.post<IncidentBody>(`/v1/incidents/${id}/transitions`, bodyFor(to), 200);
          assert.equal(after.state, to === 'reopened' ? 'acknowledged' : to);
        } else {
          const refused = await reviewer.post<{ error: { code: string; details: { allowed: string[]; state: string } } }>(`/v1/incidents/${id}/transitions`, bodyFor(to), 409);
          assert.equal(refused.error.code, 'illegal_transition');
          assert.deepEqual(refused.error.details.allowed, allowedTargets(from));
          assert.equal(refused.error.details.state, from);
        }
      });
    }
  }

  test('an incident is found by a detection event it holds (a VMS alarm link); another tenant never sees it', async () => {
    minute += 10;
    const event = buildEvent({ cameraId: camera.id, storeId: store.id, occurredAt: new Date(Date.UTC(2026, 5, 1, 8, minute)).toISOString() });
    const ingested = await plugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events: [event] }, 200);
    const found = await reviewer.get<{ data: Array<{ id: string }> }>(`/v1/incidents?eventId=${event.id}`);
    assert.deepEqual(found.data.map((i) => i.id), [ingested.results[0]!.incidentId]);
    const other = await hub.createTenant();
    const outsider = await other.admin.get<{ data: unknown[] }>(`/v1/incidents?eventId=${event.id}`);
    assert.deepEqual(outsider.data, []);
    const malformed = await reviewer.get<{ error: { code: string } }>('/v1/incidents?eventId=not-an-event', 400);
    assert.equal(malformed.error.code, 'validation_failed');
  });

  test('dismissing needs a reason and resolving needs an outcome', async () => {
    const id = await incidentIn('acknowledged');
    const noReason = await reviewer.post<{ error: { code: string } }>(`/v1/incidents/${id}/transitions`, { to: 'dismissed' }, 400);
    assert.equal(noReason.error.code, 'validation_failed');
    const intervened = await incidentIn('intervened');
    await reviewer.post(`/v1/incidents/${intervened}/transitions`, { to: 'resolved' }, 400);
    await reviewer.post(`/v1/incidents/${intervened}/transitions`, { to: 'resolved', outcome: { result: 'recovered' } }, 400);
    const resolved = await reviewer.post<IncidentBody>(`/v1/incidents/${intervened}/transitions`, { to: 'resolved', outcome }, 200);
    assert.deepEqual(resolved.outcome, outcome);
  });

  test('store staff act on their store but only a reviewer may reopen', async () => {
    const id = await freshIncident();
    const acked = await staff.post<IncidentBody>(`/v1/incidents/${id}/transitions`, { to: 'acknowledged' }, 200);
    assert.ok(acked.assigneeId, 'acknowledging takes ownership');
    await staff.post(`/v1/incidents/${id}/transitions`, { to: 'dismissed', reason: 'customer paid at another till' }, 200);
    const refused = await staff.post<{ error: { code: string } }>(`/v1/incidents/${id}/transitions`, { to: 'reopened', reason: 'second look' }, 403);
    assert.equal(refused.error.code, 'forbidden');
    const reopened = await reviewer.post<IncidentBody>(`/v1/incidents/${id}/transitions`, { to: 'reopened', reason: 'second look' }, 200);
    assert.equal(reopened.state, 'acknowledged');
    assert.equal(reopened.dismissReason, null);
  });

  test('history, comments and optimistic concurrency', async () => {
    const id = await incidentIn('verified');
    const history = await reviewer.get<{ data: Array<{ action: string; fromState: string; toState: string }> }>(`/v1/incidents/${id}/transitions`);
    assert.deepEqual(history.data.map((t) => `${t.fromState}->${t.toState}`), ['new->acknowledged', 'acknowledged->verified']);
    await staff.post(`/v1/incidents/${id}/comments`, { body: 'Customer left through exit B.' }, 201);
    const comments = await reviewer.get<{ data: Array<{ body: string }> }>(`/v1/incidents/${id}/comments`);
    assert.deepEqual(comments.data.map((c) => c.body), ['Customer left through exit B.']);
    const stale = await reviewer.post<{ error: { code: string } }>(`/v1/incidents/${id}/transitions`, { to: 'intervened', expectedVersion: 1 }, 409);
    assert.equal(stale.error.code, 'conflict');
  });

  test('new events of a dismissed incident open a new incident instead of merging into a closed one', async () => {
    const id = await incidentIn('dismissed');
    const incident = await reviewer.get<{ lastEventAt: string }>(`/v1/incidents/${id}`);
    const body = await plugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events: [buildEvent({ cameraId: camera.id, storeId: store.id, occurredAt: incident.lastEventAt.replace(/\.\d+Z$/, '.500Z') })] }, 200);
    assert.notEqual(body.results[0]!.incidentId, id);
  });
});
