import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startWebhookReceiver, type WebhookReceiver } from './servers/webhook-receiver.js';
import type { ApiClient } from './support/api-client.js';
import { databaseLabel } from './support/database.js';
import { buildEvent } from './support/factories.js';
import { deliveriesSettled, FAST, webhookFixture, type WebhookFixture } from './webhooks/support.js';

interface ProgramBody { id: string; mode: string; version: number; figures?: Figures }
interface Figures { program: { incidents: number; confirmed: number; dismissed: number; precision: number | null; alertsPerStoreDay: number | null }; outside: { incidents: number; precision: number | null; stores: number }; difference: { precision: number | null } }
interface RulesDocument { version: number; programs: Array<{ id: string; mode: string; version: number; rules: Array<{ rule: string }> }> }

const db = databaseLabel();
const PILOT_RULES = [{ rule: 'no_sale_drawer_open', name: 'no-sale pilot', settings: { graceSeconds: 4 } }];

describe(`[${db}] pilot programs: shadow mode, figures, promotion and rollback`, () => {
  let fx: WebhookFixture;
  let normal: WebhookReceiver;
  let shadow: WebhookReceiver;
  let normalSecret = '';
  let shadowSecret = '';
  let pilotStore = '';
  let outsideStore = '';
  let outsideCamera = '';
  let outsidePlugin: ApiClient;
  let staff: ApiClient;
  let reviewer: ApiClient;
  let program: ProgramBody;
  let last = 0;

  async function raise(plugin: ApiClient, storeId: string, cameraId: string, programRef?: { id: string; mode: string; version: number }): Promise<{ status: string; incidentId?: string; error?: { code: string } }> {
    // Now, so after the program started, and a millisecond apart at least (the stores' merge window is 0).
    last = Math.max(Date.now(), last + 1);
    const event = { ...buildEvent({ cameraId, storeId, type: 'no_sale_drawer_open', occurredAt: new Date(last).toISOString() }), ...(programRef ? { program: programRef } : {}) };
    const body = await plugin.call<{ results: Array<{ status: string; incidentId?: string; error?: { code: string } }> }>('POST', '/v1/events', 200, { events: [event] });
    return body.results[0] ?? { status: 'missing' };
  }

  async function decide(incidentId: string, verdict: 'verified' | 'dismissed'): Promise<void> {
    await reviewer.call('POST', `/v1/incidents/${incidentId}/transitions`, 200, { to: 'acknowledged' });
    await reviewer.call('POST', `/v1/incidents/${incidentId}/transitions`, 200, { to: verdict, ...(verdict === 'dismissed' ? { reason: 'customer paid' } : {}) });
  }

  before(async () => {
    fx = await webhookFixture();
    pilotStore = fx.storeId;
    normal = await startWebhookReceiver({ secrets: () => [normalSecret] });
    shadow = await startWebhookReceiver({ secrets: () => [shadowSecret] });
    normalSecret = (await fx.createEndpoint({ url: normal.url, eventTypes: ['incident.created'] })).secret;
    shadowSecret = (await fx.createEndpoint({ url: shadow.url, eventTypes: ['incident.created'], shadowTraffic: true, fullPayload: true })).secret;
    const outside = await fx.hub.createStore({ mergeWindowSeconds: 0 });
    outsideStore = outside.id;
    outsideCamera = (await fx.hub.createCamera(outsideStore)).id;
    outsidePlugin = fx.hub.admin.as(await fx.hub.createPluginToken([outsideStore]));
    staff = fx.hub.admin.as(await fx.hub.createToken('store_staff', { storeIds: [pilotStore] }));
    reviewer = fx.hub.admin.as(await fx.hub.createToken('central_reviewer'));
    fx.startWorker(FAST);
  });
  after(async () => {
    await normal.close();
    await shadow.close();
    await fx.stop();
  });

  test('a program starts in shadow and reaches the pilot store\'s plugin with the store\'s rules (a new ETag)', async () => {
    const before = await fx.plugin.raw('GET', `/v1/stores/${pilotStore}/rules`);
    program = await fx.hub.admin.post<ProgramBody>('/v1/programs', { name: 'No-sale pilot', storeIds: [pilotStore], rules: PILOT_RULES });
    assert.deepEqual([program.mode, program.version], ['shadow', 1]);
    const after = await fx.plugin.raw('GET', `/v1/stores/${pilotStore}/rules`, { headers: { 'if-none-match': String(before.headers.get('etag')) } });
    assert.equal(after.status, 200, 'the old ETag no longer matches');
    const document = after.body as RulesDocument;
    assert.deepEqual(document.programs.map((p) => [p.id, p.mode, p.version, p.rules.map((r) => r.rule)]), [[program.id, 'shadow', 1, ['no_sale_drawer_open']]]);
    const outsideRules = (await outsidePlugin.get<RulesDocument>(`/v1/stores/${outsideStore}/rules`)).programs;
    assert.deepEqual(outsideRules, []);
    await fx.hub.admin.call('POST', '/v1/programs', 400, { name: 'bad', storeIds: [pilotStore], rules: [{ rule: 'no_sale_drawer_open', settings: { graceSeconds: 'soon' } }] });
    await reviewer.call('POST', '/v1/programs', 403, { name: 'not mine', storeIds: [pilotStore], rules: PILOT_RULES });
  });

  test('shadow hits become central-review incidents only: no normal delivery, no store staff, a shadow subscriber gets them', async () => {
    const hits = [await raise(fx.plugin, pilotStore, fx.cameraId, { id: program.id, mode: 'shadow', version: 1 }), await raise(fx.plugin, pilotStore, fx.cameraId, { id: program.id, mode: 'shadow', version: 1 })];
    const [first, second] = hits.map((h) => h.incidentId ?? '');
    assert.ok(first && second && first !== second, JSON.stringify(hits));
    const seen = await reviewer.get<{ shadow: boolean; programId: string }>(`/v1/incidents/${first}`);
    assert.deepEqual([seen.shadow, seen.programId], [true, program.id]);
    await staff.call('GET', `/v1/incidents/${first}`, 404);
    const staffList = await staff.get<{ data: Array<{ id: string }> }>('/v1/incidents');
    assert.ok(!staffList.data.some((i) => i.id === first || i.id === second), 'store staff never see shadow incidents');
    await shadow.waitFor(2);
    await deliveriesSettled(fx.hub.db.knex);
    assert.deepEqual(normal.received.length, 0, 'a normal endpoint gets no shadow traffic');
    const bodies = shadow.received.map((d) => JSON.parse(d.body) as { data: { id: string; shadow: boolean; programId: string } });
    assert.deepEqual(bodies.map((b) => [b.data.id, b.data.shadow, b.data.programId]).sort(), [[first, true, program.id], [second, true, program.id]].sort());
    const outsideHit = await raise(outsidePlugin, outsideStore, outsideCamera, { id: program.id, mode: 'shadow', version: 1 });
    assert.deepEqual([outsideHit.status, outsideHit.error?.code], ['rejected', 'not_found'], 'a program event from a store outside the program is refused');
    await decide(first, 'verified');
    await decide(second, 'dismissed');
  });

  test('figures: precision from verdicts and alerts per store-day, beside the stores outside', async () => {
    const outsideIds = [await raise(outsidePlugin, outsideStore, outsideCamera), await raise(outsidePlugin, outsideStore, outsideCamera), await raise(outsidePlugin, outsideStore, outsideCamera)];
    for (const hit of outsideIds) assert.ok(hit.incidentId);
    await decide(outsideIds[0]?.incidentId ?? '', 'dismissed');
    await decide(outsideIds[1]?.incidentId ?? '', 'dismissed');
    await decide(outsideIds[2]?.incidentId ?? '', 'verified');
    await normal.waitFor(3);
    const figures = await reviewer.get<Figures>(`/v1/programs/${program.id}/figures`);
    assert.deepEqual([figures.program.incidents, figures.program.confirmed, figures.program.dismissed, figures.program.precision], [2, 1, 1, 0.5]);
    assert.equal(figures.outside.incidents, 3);
    assert.equal(figures.outside.precision, 0.3333);
    assert.equal(figures.outside.stores, 1);
    assert.equal(figures.difference.precision, 0.1667);
    assert.ok((figures.program.alertsPerStoreDay ?? 0) > 0);
  });

  test('promotion is an audited lp_admin move that records its figures; live hits notify like any rule; a rollback restores shadow', async () => {
    await reviewer.call('POST', `/v1/programs/${program.id}/promote`, 403, { reason: 'precision holds' });
    const promoted = await fx.hub.admin.post<ProgramBody>(`/v1/programs/${program.id}/promote`, { reason: 'precision 0.5 over the pilot week' }, 200);
    assert.deepEqual([promoted.mode, promoted.version, promoted.figures?.program.precision], ['live', 2, 0.5]);
    const audit = await fx.hub.admin.get<{ data: Array<{ action: string; after: { figures: Figures; reason: string } }> }>(`/v1/audit?subjectId=${program.id}&action=program.promoted`);
    assert.equal(audit.data[0]?.after.figures.program.precision, 0.5);
    assert.equal(audit.data[0]?.after.reason, 'precision 0.5 over the pilot week');
    const live = (await fx.plugin.get<RulesDocument>(`/v1/stores/${pilotStore}/rules`)).programs[0];
    assert.deepEqual([live?.mode, live?.version], ['live', 2]);
    const before = normal.received.length;
    const liveHit = await raise(fx.plugin, pilotStore, fx.cameraId, { id: program.id, mode: 'live', version: 2 });
    await normal.waitFor(before + 1);
    const liveBody = JSON.parse(normal.received.at(-1)?.body ?? '{}') as { data: { id: string; shadow: boolean } };
    assert.deepEqual([liveBody.data.id, liveBody.data.shadow], [liveHit.incidentId, false]);
    await staff.call('GET', `/v1/incidents/${liveHit.incidentId ?? ''}`, 200);

    const rolledBack = await fx.hub.admin.post<ProgramBody>(`/v1/programs/${program.id}/rollback`, { reason: 'too many false alarms in store 2' }, 200);
    assert.deepEqual([rolledBack.mode, rolledBack.version], ['shadow', 3]);
    const restored = (await fx.plugin.get<RulesDocument>(`/v1/stores/${pilotStore}/rules`)).programs[0];
    assert.deepEqual([restored?.mode, restored?.version], ['shadow', 3]);
    // A plugin that has not pulled yet still says live: the hub files the hit by its own record, as shadow.
    const stale = await raise(fx.plugin, pilotStore, fx.cameraId, { id: program.id, mode: 'live', version: 2 });
    assert.equal((await reviewer.get<{ shadow: boolean }>(`/v1/incidents/${stale.incidentId ?? ''}`)).shadow, true);
    const history = await reviewer.get<{ versions: Array<{ version: number; change: string; mode: string }> }>(`/v1/programs/${program.id}`);
    assert.deepEqual(history.versions.map((v) => [v.version, v.change, v.mode]), [[3, 'rolled_back', 'shadow'], [2, 'promoted', 'live'], [1, 'created', 'shadow']]);
    const ended = await fx.hub.admin.post<ProgramBody>(`/v1/programs/${program.id}/end`, { reason: 'pilot over' }, 200);
    assert.equal(ended.version, 4);
    assert.deepEqual((await fx.plugin.get<RulesDocument>(`/v1/stores/${pilotStore}/rules`)).programs, [], 'an ended program leaves the plugins');
  });
});
