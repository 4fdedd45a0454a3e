import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { isQuietAt, localMinutes } from '../../hub/routing/index.js';
import { sweepEscalations } from '../../hub/webhooks/index.js';
import { startWebhookReceiver, type WebhookReceiver } from '../servers/webhook-receiver.js';
import { databaseLabel } from '../support/database.js';
import { deliveriesSettled, FAST, webhookFixture, type WebhookFixture } from './support.js';

test('quiet hours are read on the store\'s wall clock, across midnight and daylight saving', () => {
  const night = { start: '22:00', end: '06:00' };
  assert.ok(isQuietAt(night, 'Europe/Berlin', new Date('2026-01-15T22:30:00Z')), '23:30 in Berlin (winter, UTC+1)');
  assert.ok(!isQuietAt(night, 'Europe/Berlin', new Date('2026-01-15T20:30:00Z')), '21:30 in Berlin');
  assert.ok(isQuietAt(night, 'Europe/Berlin', new Date('2026-07-15T20:30:00Z')), '22:30 in Berlin (summer, UTC+2)');
  assert.ok(!isQuietAt(night, 'America/New_York', new Date('2026-07-15T20:30:00Z')), '16:30 in New York');
  assert.ok(isQuietAt({ start: '09:00', end: '17:00' }, 'UTC', new Date('2026-07-15T09:00:00Z')));
  assert.ok(!isQuietAt({ start: '09:00', end: '17:00' }, 'UTC', new Date('2026-07-15T17:00:00Z')), 'the end is exclusive');
  assert.ok(!isQuietAt({ start: '09:00', end: '09:00' }, 'UTC', new Date('2026-07-15T09:00:00Z')), 'an empty window is never quiet');
});

const db = databaseLabel();
let fx: WebhookFixture;
let receiver: WebhookReceiver;
before(async () => {
  fx = await webhookFixture();
  receiver = await startWebhookReceiver();
  fx.startWorker(FAST);
});
after(async () => {
  await receiver.close();
  await fx.stop();
});

const typesOf = (from: number) => receiver.received.slice(from).map((d) => JSON.parse(d.body) as { type: string; data: { id: string } });
const hhmm = (m: number) => `${String(Math.floor(((m + 1440) % 1440) / 60)).padStart(2, '0')}:${String((m + 1440) % 60).padStart(2, '0')}`;

test(`[${db}] routing: scope, type and severity select endpoints; the cooldown per camera and type spares repeat alerts; quiet hours hold new-incident alerts`, async () => {
  const paged = await fx.createEndpoint({ url: `${receiver.url}?paged`, eventTypes: ['incident.created'] });
  const quiet = await fx.createEndpoint({ url: `${receiver.url}?quiet`, eventTypes: ['incident.created'] });
  const otherStore = await fx.hub.createStore();
  await fx.hub.admin.post('/v1/routes', { name: 'elsewhere', storeId: otherStore.id, endpointIds: [paged.id] });
  await fx.hub.admin.post('/v1/routes', { name: 'dwell to paging', storeId: fx.storeId, incidentTypes: ['zone_dwell'], severities: ['high', 'critical'], endpointIds: [paged.id], cooldownSeconds: 3600 });
  const now = localMinutes(new Date(), 'Europe/Berlin');
  await fx.hub.admin.post('/v1/routes', { name: 'night', endpointIds: [quiet.id], quietHours: { start: hhmm(now - 60), end: hhmm(now + 60) } });
  const from = receiver.received.length;
  const first = await fx.raiseIncident({ severity: 'high' });
  await receiver.waitFor(from + 1);
  await fx.raiseIncident({ severity: 'high' });
  await fx.raiseIncident({ severity: 'low' });
  const camera2 = await fx.hub.createCamera(fx.storeId);
  const third = await fx.raiseIncident({ severity: 'critical', cameraId: camera2.id });
  await receiver.waitFor(from + 2);
  await deliveriesSettled(fx.hub.db.knex);
  assert.deepEqual(typesOf(from).map((m) => m.data.id), [first, third], 'repeat on the same camera cooled down; low severity not routed; quiet hours held the rest');
  const attemptsQuiet = await fx.hub.admin.get<{ data: unknown[] }>(`/v1/webhooks/${quiet.id}/attempts`);
  assert.equal(attemptsQuiet.data.length, 0);
  const list = await fx.hub.admin.get<{ data: Array<{ name: string }> }>('/v1/routes');
  assert.equal(list.data.length, 3);
  for (const r of (await fx.hub.admin.get<{ data: Array<{ id: string }> }>('/v1/routes')).data) await fx.hub.admin.call('DELETE', `/v1/routes/${r.id}`, 204);
  await fx.hub.admin.patch(`/v1/webhooks/${paged.id}`, { enabled: false });
  await fx.hub.admin.patch(`/v1/webhooks/${quiet.id}`, { enabled: false });
});

test(`[${db}] an incident nobody acknowledges in time is escalated; an acknowledged one is not`, async () => {
  const desk = await fx.createEndpoint({ url: `${receiver.url}?desk`, eventTypes: ['incident.created'] });
  const manager = await fx.createEndpoint({ url: `${receiver.url}?manager`, eventTypes: ['incident.escalated'] });
  const policy = await fx.hub.admin.post<{ id: string }>('/v1/routes', { name: 'escalate', endpointIds: [desk.id], escalateAfterMinutes: 5, escalationEndpointIds: [manager.id] });
  try {
    const from = receiver.received.length;
    const ignored = await fx.raiseIncident({ type: 'push_out' });
    const handled = await fx.raiseIncident({ type: 'concealment' });
    await fx.hub.admin.post(`/v1/incidents/${handled}/transitions`, { to: 'acknowledged' }, 200);
    await receiver.waitFor(from + 2);
    assert.equal(await sweepEscalations(fx.hub.db.knex), 0, 'not due yet');
    await fx.hub.db.knex('routing_escalations').where({ policy_id: policy.id }).update({ due_at: new Date(Date.now() - 1000) });
    await sweepEscalations(fx.hub.db.knex); // the worker's own sweep may take them first; either way once
    await receiver.waitFor(from + 3);
    await deliveriesSettled(fx.hub.db.knex);
    const escalated = typesOf(from).filter((m) => m.type === 'incident.escalated');
    assert.deepEqual(escalated.map((m) => m.data.id), [ignored]);
    const results = await fx.hub.db.knex('routing_escalations').where({ policy_id: policy.id }).orderBy('result').pluck('result');
    assert.deepEqual(results, ['acknowledged_in_time', 'escalated']);
  } finally {
    await fx.hub.admin.call('DELETE', `/v1/routes/${policy.id}`, 204);
  }
});

test(`[${db}] routing policies refuse unknown endpoints and bad quiet hours, and store staff cannot write them`, async () => {
  await fx.hub.admin.post('/v1/routes', { name: 'x', endpointIds: ['whk_01jd0x6q8e4t0m3v7x9k2c5b1n'] }, 400);
  const e = await fx.createEndpoint({ url: receiver.url, eventTypes: ['incident.created'], enabled: false });
  await fx.hub.admin.post('/v1/routes', { name: 'x', endpointIds: [e.id], quietHours: { start: '25:00', end: '06:00' } }, 400);
  const staff = fx.hub.admin.as(await fx.hub.createToken('store_staff', { storeIds: [fx.storeId] }));
  await staff.post('/v1/routes', { name: 'x', endpointIds: [e.id] }, 403);
});
