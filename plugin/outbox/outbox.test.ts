import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import type { AppError, DetectionEventInput } from '../../contracts/index.js';
import { newId } from '../../contracts/index.js';
import { HubClient } from '../hub-client/index.js';
import { EventSender, isOutboxError, openOutbox } from './index.js';
import type { Outbox, OutboxOptions } from './index.js';
import { startEventReceiver } from './test-support/event-receiver.js';
import type { EventReceiver } from './test-support/event-receiver.js';
import { buildEvent, tempDir, waitFor } from './test-support/fixtures.js';

const FAST = { backoff: { baseMs: 10, capMs: 100 }, authRetryMs: 200 };

async function setup(t: Parameters<typeof tempDir>[0], extra: Partial<OutboxOptions> = {}): Promise<{ receiver: EventReceiver; options: OutboxOptions }> {
  const receiver = await startEventReceiver();
  t.after(() => receiver.close());
  const client = new HubClient({ baseUrl: receiver.url, token: receiver.token, timeoutMs: 5_000 });
  const dir = await tempDir(t);
  return { receiver, options: { dir, senders: { event: new EventSender(client) }, ...FAST, ...extra } };
}

/** Opens an outbox that is closed after the test even when an assertion fails (its dispatchers would keep the process alive). */
async function opened(t: Parameters<typeof tempDir>[0], options: OutboxOptions): Promise<Outbox> {
  const outbox = await openOutbox(options);
  t.after(async () => {
    await outbox.close();
  });
  return outbox;
}

test('events of several cameras arrive in append order per camera', async (t) => {
  const { receiver, options } = await setup(t);
  const outbox = await opened(t, options);
  const storeId = newId('store');
  const cameras = [newId('camera'), newId('camera'), newId('camera')];
  const appended: DetectionEventInput[] = [];
  for (let n = 0; n < 240; n += 1) {
    const event = buildEvent({ cameraId: cameras[n % 3]!, storeId, n });
    appended.push(event);
    await outbox.appendEvent(event);
  }
  await waitFor('all events delivered', () => outbox.stats().pending === 0);
  assert.equal(receiver.stored.length, 240);
  for (const camera of cameras) {
    const sent = appended.filter((e) => e.cameraId === camera).map((e) => e.id);
    const arrived = receiver.stored.filter((e) => e.cameraId === camera).map((e) => e.id);
    assert.deepEqual(arrived, sent, `order of ${camera}`);
  }
  const stats = outbox.stats();
  assert.equal(stats.delivered, 240);
  assert.equal(stats.health, 'ok');
  assert.ok(stats.lastSuccessAt !== undefined);
  await outbox.close();
});

test('a camera whose events keep failing does not hold back the other cameras', async (t) => {
  const { receiver, options } = await setup(t);
  const storeId = newId('store');
  const stuck = newId('camera');
  const healthy = newId('camera');
  receiver.failBatch = (event) => event.cameraId === stuck;
  const outbox = await opened(t, options);
  for (let n = 0; n < 20; n += 1) {
    await outbox.appendEvent(buildEvent({ cameraId: stuck, storeId, n }));
    await outbox.appendEvent(buildEvent({ cameraId: healthy, storeId, n }));
  }
  const pendingOf = (camera: string): number | undefined => outbox.stats().streams.find((s) => s.name === `event~${camera}`)?.pending;
  await waitFor('healthy camera delivered', () => pendingOf(healthy) === 0);
  assert.equal(receiver.stored.filter((e) => e.cameraId === healthy).length, 20);
  assert.equal(pendingOf(stuck), 20, 'the failing camera keeps its events, in order, for later');
  assert.equal(receiver.stored.filter((e) => e.cameraId === stuck).length, 0);
  receiver.failBatch = () => false;
  await waitFor('stuck camera delivered once the hub accepts it', () => outbox.stats().pending === 0);
  assert.deepEqual(receiver.stored.filter((e) => e.cameraId === stuck).map((e) => e.attributes['n']), [...Array(20).keys()]);
  await outbox.close();
});

test('concurrent appends to one camera keep their call order', async (t) => {
  const dir = await tempDir(t);
  const outbox = await opened(t, { dir });
  const cameraId = newId('camera');
  const storeId = newId('store');
  const events = Array.from({ length: 300 }, (_, n) => buildEvent({ cameraId, storeId, n }));
  const receipts = await Promise.all(events.map((event) => outbox.appendEvent(event)));
  assert.deepEqual(receipts.map((r) => r.seq), events.map((_, i) => i + 1));
  const stored = await outbox.peek('event', cameraId, 1000);
  assert.deepEqual(stored.map((r) => (r.payload as { id: string }).id), events.map((e) => e.id));
  await outbox.close();
});

test('an event the hub rejects goes to the dead-letter file and the next one is still delivered', async (t) => {
  const { receiver, options } = await setup(t);
  receiver.rejectItem = (event) => (event.attributes['poison'] === true ? 'zone unknown to the hub' : undefined);
  const outbox = await opened(t, options);
  const cameraId = newId('camera');
  const storeId = newId('store');
  const poison = buildEvent({ cameraId, storeId, n: 1, attributes: { poison: true } });
  const next = buildEvent({ cameraId, storeId, n: 2 });
  await outbox.appendEvent(poison);
  await outbox.appendEvent(next);
  await waitFor('stream settled', () => outbox.stats().pending === 0);
  assert.deepEqual(receiver.stored.map((e) => e.id), [next.id]);
  const stats = outbox.stats();
  assert.equal(stats.deadLettered, 1);
  const lines = (await readFile(stats.deadLetterPath, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { seq: number; reason: string; payload: { id: string } });
  assert.equal(lines.length, 1);
  assert.equal(lines[0]!.payload.id, poison.id);
  assert.match(lines[0]!.reason, /zone unknown to the hub/);
  await outbox.close();
});

test('a batch refused as a whole (422) is split until the bad event is found; the rest is delivered', async (t) => {
  const { receiver, options } = await setup(t);
  receiver.refuseBatch = (event) => event.attributes['bad'] === true;
  const outbox = await opened(t, options);
  const cameraId = newId('camera');
  const storeId = newId('store');
  receiver.fault = { status: 503, code: 'unavailable' }; // hold sending so the first batch holds all 100
  for (let n = 0; n < 100; n += 1) await outbox.appendEvent(buildEvent({ cameraId, storeId, n, attributes: { bad: n === 37 } }));
  receiver.fault = undefined;
  await waitFor('stream settled', () => outbox.stats().pending === 0);
  assert.equal(receiver.stored.length, 99);
  assert.ok(!receiver.stored.some((e) => e.attributes['bad'] === true));
  assert.deepEqual(receiver.stored.map((e) => e.attributes['n']), [...Array(100).keys()].filter((n) => n !== 37));
  assert.equal(outbox.stats().deadLettered, 1);
  const refused = receiver.requests.filter((r) => r.status === 422).length;
  assert.ok(refused <= 10, `bisection took ${refused} refused requests`);
  await outbox.close();
});

for (const status of [400, 409, 422]) {
  test(`a request refused as a whole with ${status} dead-letters the offending event instead of retrying it forever; the camera's next events are delivered`, async (t) => {
    const { receiver, options } = await setup(t);
    receiver.refuseBatch = (event) => event.attributes['bad'] === true;
    receiver.refusal = { status, code: 'refused' };
    const outbox = await opened(t, options);
    const cameraId = newId('camera');
    const storeId = newId('store');
    for (let n = 0; n < 6; n += 1) await outbox.appendEvent(buildEvent({ cameraId, storeId, n, attributes: { bad: n === 2 } }));
    await waitFor('stream settled', () => outbox.stats().pending === 0);
    assert.deepEqual(receiver.stored.map((e) => e.attributes['n']), [0, 1, 3, 4, 5]);
    const lines = (await readFile(outbox.stats().deadLetterPath, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { reason: string; payload: { attributes: { n: number } } });
    assert.deepEqual(lines.map((l) => l.payload.attributes.n), [2]);
    assert.match(lines[0]!.reason, new RegExp(`${status} refused`));
    await outbox.close();
  });
}

test('404, 408, 429 and 5xx are retried, never dead-lettered; the dead-letter count survives a restart', async (t) => {
  const { receiver, options } = await setup(t);
  receiver.rejectItem = (event) => (event.attributes['poison'] === true ? 'zone unknown to the hub' : undefined);
  const cameraId = newId('camera');
  const storeId = newId('store');
  const first = await openOutbox(options);
  await first.appendEvent(buildEvent({ cameraId, storeId, n: 0, attributes: { poison: true } }));
  await waitFor('poison dead-lettered', () => first.stats().deadLettered === 1);
  await first.close();
  const outbox = await opened(t, options);
  assert.equal(outbox.stats().deadLettered, 1, 'the count includes dead letters of earlier runs');
  for (const [status, code] of [[404, 'not_found'], [408, 'timeout'], [429, 'rate_limited'], [503, 'unavailable']] as const) {
    receiver.fault = { status, code };
    const from = receiver.requests.length;
    await outbox.appendEvent(buildEvent({ cameraId, storeId, n: status }));
    await waitFor(`${status} answered twice`, () => receiver.requests.slice(from).filter((r) => r.status === status).length >= 2);
    assert.equal(outbox.stats().pending, 1, `${status}: the event is held for a retry`);
    receiver.fault = undefined;
    await waitFor(`${status}: delivered once the hub recovers`, () => outbox.stats().pending === 0);
  }
  assert.equal(outbox.stats().deadLettered, 1);
  assert.deepEqual(receiver.stored.map((e) => e.attributes['n']), [404, 408, 429, 503]);
});

for (const [status, code] of [[401, 'unauthenticated'], [403, 'forbidden']] as const) {
  test(`${status} sets health to auth_failed and holds every event until the hub accepts the token`, async (t) => {
  const { receiver, options } = await setup(t);
  receiver.fault = { status, code };
  const outbox = await opened(t, options);
  const cameraId = newId('camera');
  const storeId = newId('store');
  for (let n = 0; n < 5; n += 1) await outbox.appendEvent(buildEvent({ cameraId, storeId, n }));
  await waitFor('auth failure seen', () => outbox.stats().health === 'auth_failed');
  assert.equal(outbox.stats().pending, 5);
  assert.equal(outbox.stats().deadLettered, 0);
  assert.ok(!JSON.stringify(outbox.stats()).includes(receiver.token), 'stats never carry the token');
  receiver.fault = undefined;
  await waitFor('delivery after the token is accepted', () => outbox.stats().pending === 0);
  assert.equal(receiver.stored.length, 5);
  assert.equal(outbox.stats().health, 'ok');
  await outbox.close();
});
}

test('429 with Retry-After pauses sending for the time the hub asked', async (t) => {
  const { receiver, options } = await setup(t);
  receiver.fault = { status: 429, code: 'rate_limited', retryAfter: '1' };
  const outbox = await opened(t, options);
  await outbox.appendEvent(buildEvent({ cameraId: newId('camera'), storeId: newId('store'), n: 1 }));
  await waitFor('first refusal', () => receiver.requests.length >= 1);
  const refusedAt = Date.now();
  receiver.fault = undefined;
  await waitFor('delivery', () => outbox.stats().pending === 0);
  // With a 10 ms backoff the retry would come at once; Retry-After: 1 holds it for about a second.
  assert.ok(Date.now() - refusedAt >= 800, `retried after ${Date.now() - refusedAt} ms`);
  assert.equal(receiver.requests.filter((r) => r.status === 429).length, 1);
  await outbox.close();
});

test('5xx and network errors are retried with backoff until the hub recovers', async (t) => {
  const { receiver, options } = await setup(t);
  receiver.fault = { status: 503, code: 'unavailable' };
  const outbox = await opened(t, options);
  await outbox.appendEvent(buildEvent({ cameraId: newId('camera'), storeId: newId('store'), n: 1 }));
  await waitFor('several retries', () => receiver.requests.length >= 3);
  assert.equal(outbox.stats().health, 'retrying');
  assert.match(outbox.stats().lastError?.message ?? '', /503/);
  assert.ok((outbox.stats().oldestPendingAgeMs ?? -1) >= 0);
  receiver.fault = undefined;
  await waitFor('delivery', () => outbox.stats().pending === 0);
  assert.equal(receiver.stored.length, 1);
  await outbox.close();
});

test('the disk bound warns at 80 %, then refuses new records with outbox_full and keeps the stored ones', async (t) => {
  const { receiver, options } = await setup(t, { maxBytes: 16 * 1024, warnRatio: 0.8, segmentBytes: 4 * 1024 });
  receiver.fault = { status: 503, code: 'unavailable' };
  const outbox = await opened(t, options);
  const cameraId = newId('camera');
  const storeId = newId('store');
  let stored = 0;
  let sawWarning = false;
  let refusal: unknown;
  for (let n = 0; n < 200 && refusal === undefined; n += 1) {
    try {
      await outbox.appendEvent(buildEvent({ cameraId, storeId, n }));
      stored += 1;
      if (outbox.stats().conditions.includes('disk_warning')) sawWarning = true;
    } catch (error) {
      refusal = error;
    }
  }
  assert.ok(sawWarning, 'health passed through disk_warning');
  assert.ok(isOutboxError(refusal, 'outbox_full'), `expected outbox_full, got ${String(refusal)}`);
  assert.match((refusal as AppError).message, /outbox is full/);
  assert.equal(outbox.stats().health, 'disk_full');
  assert.equal(outbox.stats().pending, stored);
  assert.ok(outbox.stats().bytesOnDisk <= 16 * 1024);

  receiver.fault = undefined;
  await waitFor('backlog delivered', () => outbox.stats().pending === 0);
  await outbox.appendEvent(buildEvent({ cameraId, storeId, n: 999 }));
  await waitFor('new record delivered', () => outbox.stats().pending === 0);
  assert.equal(receiver.stored.length, stored + 1);
  assert.notEqual(outbox.stats().health, 'disk_full');
  await outbox.close();
});

test('bad input is refused at the door with a typed error, and close() drains what is pending', async (t) => {
  const { receiver, options } = await setup(t);
  const outbox = await opened(t, options);
  await assert.rejects(outbox.appendEvent({ id: 'not-an-id' } as unknown as DetectionEventInput), (error: unknown) => isOutboxError(error, 'invalid_record'));
  await assert.rejects(outbox.append('event', '../escape', {}), (error: unknown) => isOutboxError(error, 'invalid_record'));
  await assert.rejects(outbox.append('event', 'cam_x', 'x'.repeat(2 * 1024 * 1024)), (error: unknown) => isOutboxError(error, 'record_too_large'));
  await assert.rejects(openOutbox(options), (error: unknown) => isOutboxError(error, 'outbox_locked'));
  receiver.fault = { status: 503, code: 'unavailable' };
  const cameraId = newId('camera');
  const storeId = newId('store');
  for (let n = 0; n < 30; n += 1) await outbox.appendEvent(buildEvent({ cameraId, storeId, n }));
  setTimeout(() => (receiver.fault = undefined), 100);
  const result = await outbox.close({ drainTimeoutMs: 10_000 });
  assert.equal(result.pending, 0);
  assert.equal(receiver.stored.length, 30);
  await assert.rejects(outbox.appendEvent(buildEvent({ cameraId, storeId, n: 31 })), (error: unknown) => isOutboxError(error, 'outbox_closed'));
});

test('close() with the hub down returns at the drain deadline and keeps everything for the next start', async (t) => {
  const { receiver, options } = await setup(t);
  receiver.fault = { status: 503, code: 'unavailable' };
  const outbox = await opened(t, options);
  const cameraId = newId('camera');
  for (let n = 0; n < 10; n += 1) await outbox.appendEvent(buildEvent({ cameraId, storeId: newId('store'), n }));
  const result = await outbox.close({ drainTimeoutMs: 200 });
  assert.equal(result.pending, 10);
  receiver.fault = undefined;
  const again = await opened(t, options);
  await waitFor('delivery after restart', () => again.stats().pending === 0);
  assert.equal(receiver.stored.length, 10);
  await again.close();
});
