import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ApiClient } from '../../../test/support/api-client.js';
import { buildEvent } from '../../../test/support/factories.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';

interface Row { id: string; storeId: string; severity: string; state: string; version: number }

interface Sent { id: string; event: string; data: Row }

/** Reads server-sent events from a fetch body; `until` resolves once the events so far satisfy it. */
function sseReader(response: Response) {
  assert.ok(response.body);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const events: Sent[] = [];
  let buffer = '';
  return {
    events,
    async until(done: (events: Sent[]) => boolean): Promise<Sent[]> {
      while (!done(events)) {
        const { value, done: ended } = await reader.read();
        if (ended) throw new Error(`the stream ended after ${JSON.stringify(events)}`);
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(block.split('\n').filter((l) => !l.startsWith(':') && l.includes(': ')).map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
          if (fields.event) events.push({ id: fields.id ?? '', event: fields.event, data: JSON.parse(fields.data ?? 'null') as Row });
        }
      }
      return events;
    },
    close: () => reader.cancel(),
  };
}

describe('the review queue API: severity order, an incident\'s events, the live stream in the caller\'s scope', () => {
  let hub: TestHub;
  let plugin: ApiClient;
  let storeA: string;
  let storeB: string;
  let cameraA: string;
  let cameraB: string;
  let staffA: string;

  before(async () => {
    hub = await startTestHub();
    const region = await hub.createRegion();
    storeA = (await hub.createStore({ regionId: region.id })).id;
    storeB = (await hub.createStore({ regionId: region.id })).id;
    cameraA = (await hub.createCamera(storeA)).id;
    cameraB = (await hub.createCamera(storeB)).id;
    plugin = hub.admin.as(await hub.createPluginToken([storeA, storeB]));
    staffA = await hub.createToken('store_staff', { storeIds: [storeA] });
  });
  after(() => hub?.stop());

  const open = async (storeId: string, cameraId: string, severity: string, type = 'zone_dwell') =>
    (await plugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events: [buildEvent({ storeId, cameraId, severity, type } as never)] }, 200)).results[0]?.incidentId as string;

  test('sort=severity pages most severe first, newest first within a severity, with a cursor', async () => {
    const low = await open(storeA, cameraA, 'low', 'loitering_high_value');
    const critical = await open(storeA, cameraA, 'critical', 'sweethearting');
    const high1 = await open(storeA, cameraA, 'high', 'concealment');
    const high2 = await open(storeA, cameraA, 'high', 'push_out');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: Row[]; nextCursor: string | null } = await hub.admin.get(`/v1/incidents?sort=severity&storeId=${storeA}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.data.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, [critical, high2, high1, low]);
    assert.equal((await hub.admin.raw('GET', `/v1/incidents?sort=severity&cursor=${Buffer.from('{"after":"inc_0000000000","key":"x"}').toString('base64url')}`)).status, 400);
  });

  test('an incident\'s events come with their boxes for a reviewer; store staff, without read on events, are refused', async () => {
    const event = buildEvent({ storeId: storeA, cameraId: cameraA, type: 'sweep' } as never);
    const incident = (await plugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events: [event] }, 200)).results[0]?.incidentId as string;
    const reviewer = hub.admin.as(await hub.createToken('central_reviewer'));
    const events = await reviewer.get<{ data: Array<{ id: string; detections: Array<{ box: number[] }> }> }>(`/v1/incidents/${incident}/events`);
    assert.deepEqual(events.data.map((e) => e.id), [event.id]);
    assert.deepEqual(events.data[0]?.detections[0]?.box, event.detections?.[0]?.box);
    assert.equal((await hub.admin.as(staffA).raw('GET', `/v1/incidents/${incident}/events`)).status, 403);
  });

  test('the stream sends new and changed incidents of the caller\'s stores only, and resumes after Last-Event-ID', async () => {
    const controller = new AbortController();
    const response = await fetch(`${hub.url}/v1/incidents/stream`, { headers: { authorization: `Bearer ${staffA}` }, signal: controller.signal });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const stream = sseReader(response);
    const inB = await open(storeB, cameraB, 'critical', 'push_out');
    const inA = await open(storeA, cameraA, 'medium', 'push_out');
    await stream.until((seen) => seen.some((e) => e.data.id === inA));
    await hub.admin.post(`/v1/incidents/${inA}/transitions`, { to: 'acknowledged' }, 200);
    const events = await stream.until((seen) => seen.some((e) => e.data.id === inA && e.data.state === 'acknowledged'));
    await stream.close();
    controller.abort();
    assert.ok(events.every((e) => e.event === 'incident' && e.data.storeId === storeA), 'nothing of store B');
    assert.ok(!events.some((e) => e.data.id === inB));
    assert.deepEqual(events.filter((e) => e.data.id === inA).map((e) => e.data.state), ['new', 'acknowledged']);

    const firstId = events.find((e) => e.data.id === inA)?.id ?? '';
    const resumed = await fetch(`${hub.url}/v1/incidents/stream`, { headers: { authorization: `Bearer ${staffA}`, 'last-event-id': firstId } });
    const resumedStream = sseReader(resumed);
    const again = await resumedStream.until((seen) => seen.some((e) => e.data.id === inA));
    await resumedStream.close();
    assert.deepEqual(again.filter((e) => e.data.id === inA).map((e) => e.data.state), ['acknowledged'], 'resumed after the first change, not from the start');
    assert.equal((await fetch(`${hub.url}/v1/incidents/stream`)).status, 401);
  });

  test('a change whose transaction commits after the stream has moved past its time is still sent, once', async () => {
    const controller = new AbortController();
    const response = await fetch(`${hub.url}/v1/incidents/stream`, { headers: { authorization: `Bearer ${staffA}` }, signal: controller.signal });
    const stream = sseReader(response);
    const slow = await open(storeA, cameraA, 'low', 'refund_no_customer');
    await stream.until((seen) => seen.some((e) => e.data.id === slow));
    const fast = await open(storeA, cameraA, 'high', 'void_after_bagging');
    await stream.until((seen) => seen.some((e) => e.data.id === fast));
    // What a writer whose transaction started before the change just sent leaves behind once it commits: a
    // row whose updated_at (the transaction's start) is behind the stream's position.
    const sentAt = (await hub.db.knex('incidents').where({ id: fast }).first<{ updated_at: Date }>())?.updated_at;
    assert.ok(sentAt);
    await hub.db.knex('incidents').where({ id: slow }).update({ state: 'acknowledged', version: 2, updated_at: new Date(sentAt.getTime() - 1000) });
    // A change made after it: once that has arrived, the late one must have too (each round sends late ones first).
    const marker = await open(storeA, cameraA, 'medium', 'no_sale_drawer_open');
    assert.equal(new Set([slow, fast, marker]).size, 3, 'three incidents, none merged into another');
    const events = await stream.until((seen) => seen.some((e) => e.data.id === marker));
    await stream.close();
    controller.abort();
    assert.deepEqual(events.filter((e) => e.data.id === slow).map((e) => e.data.state), ['new', 'acknowledged'], `the late change arrived, and only once: ${JSON.stringify(events.map((e) => [e.id, e.data.id === slow ? 'slow' : e.data.id === fast ? 'fast' : e.data.id === marker ? 'marker' : 'other', e.data.state]))}`);
  });
  test('a stream opened in staging sends staging incidents only, never production ones changed just before', async () => {
    await hub.admin.post('/v1/environments', { name: 'staging', label: 'Staging' });
    const stagingAdmin = hub.admin.as((await hub.admin.post<{ token: string }>('/v1/tokens', { name: 'staging admin', role: 'lp_admin', environment: 'staging' })).token);
    const region = await stagingAdmin.post<{ id: string }>('/v1/regions', { name: 'Lab' });
    const store = await stagingAdmin.post<{ id: string }>('/v1/stores', { regionId: region.id, name: 'Lab store', code: 'LAB-STREAM', timezone: 'Europe/Berlin' });
    const camera = await stagingAdmin.post<{ id: string }>('/v1/cameras', { storeId: store.id, name: 'Lab camera' });
    const stagingPlugin = stagingAdmin.as((await stagingAdmin.post<{ token: string }>('/v1/tokens', { name: 'lab plugin', role: 'plugin', storeIds: [store.id] })).token);
    const production = await open(storeA, cameraA, 'critical', 'sweep');
    // Past the stream's look-back for late commits; a stream bound to the wrong environment sends it.
    const response = await fetch(`${hub.url}/v1/incidents/stream`, { headers: { authorization: `Bearer ${stagingAdmin.token}` }, signal: AbortSignal.timeout(30_000) });
    const stream = sseReader(response);
    await open(storeA, cameraA, 'high', 'push_out');
    const staged = (await stagingPlugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events: [buildEvent({ storeId: store.id, cameraId: camera.id, severity: 'high' })] }, 200)).results[0]?.incidentId as string;
    const events = await stream.until((seen) => seen.some((e) => e.data.id === staged));
    await stream.close();
    assert.ok(!events.some((e) => e.data.id === production), 'the production incident changed just before is not sent');
    assert.deepEqual(events.map((e) => e.data.storeId), events.map(() => store.id), 'staging stores only');
  });
});
