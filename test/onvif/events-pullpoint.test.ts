import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { startCameraSim, type CameraSim } from '../../plugin/camera-sim/index.js';
import { describeCamera, DeviceAssistedMotionGate, DeviceEventWatch, PullPointSubscription, readNotifications, type DeviceEvent } from '../../plugin/discovery/index.js';
import { RunningAverageMotionGate } from '../../plugin/motion/index.js';
import { fixture, serveFixtureDevice } from './fixture-device.js';

const sims: CameraSim[] = [];
after(() => Promise.all(sims.map((s) => s.stop())));

/** Collects a watch's events and lets a test wait for the first one that matches. */
function eventLog(): { events: DeviceEvent[]; push(e: DeviceEvent): void; next(match: (e: DeviceEvent) => boolean): Promise<DeviceEvent> } {
  const events: DeviceEvent[] = [];
  const waiters: Array<{ match: (e: DeviceEvent) => boolean; resolve: (e: DeviceEvent) => void }> = [];
  return {
    events,
    push(e) {
      events.push(e);
      for (const w of waiters.filter((w) => w.match(e))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(e);
      }
    },
    next(match) {
      const seen = events.find(match);
      return seen !== undefined ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ match, resolve }));
    },
  };
}

test('PullPoint against camera-sim: initial states, motion and tamper changes per channel, renewal, unsubscribe', { timeout: 60_000 }, async () => {
  const sim = await startCameraSim({ name: 'Events NVR', channels: 2, user: 'admin', password: 'ev-pw', discoveryPort: null, clockSkewMs: 3_600_000 });
  sims.push(sim);
  const description = await describeCamera({ xaddr: sim.onvifUrl, user: 'admin', password: 'ev-pw' });
  assert.ok(description.eventsXaddr);
  const log = eventLog();
  const subscribed: string[] = [];
  let renewed: () => void = () => undefined;
  const renewal = new Promise<void>((resolve) => (renewed = resolve));
  const watch = new DeviceEventWatch({
    xaddr: description.eventsXaddr, user: 'admin', password: 'ev-pw', timeOffsetMs: description.timeOffsetMs,
    pullTimeoutMs: 1_000, terminationMs: 3_000,
    onEvent: (e) => log.push(e),
    onSubscribed: (how) => {
      subscribed.push(how);
      if (how === 'renewed') renewed();
    },
    onError: (e) => assert.fail(`events failed: ${e.code}: ${e.message}`),
  });
  watch.start();
  try {
    // The scene moves on every channel: each source is first reported (Initialized) with motion, no tamper.
    for (const source of ['vs1', 'vs2']) {
      await log.next((e) => e.kind === 'motion' && e.source === source && e.operation === 'Initialized' && e.active);
      await log.next((e) => e.kind === 'tamper' && e.source === source && e.operation === 'Initialized' && !e.active);
    }
    assert.equal(sim.eventSubscriptions, 1);
    sim.setMotion(false, 'vs2');
    const still = await log.next((e) => e.kind === 'motion' && e.source === 'vs2' && e.operation === 'Changed');
    assert.deepEqual([still.active, still.topic], [false, 'tns1:VideoSource/MotionAlarm']);
    assert.deepEqual([watch.state('vs2').motion, watch.state('vs1').motion], [false, true]);
    sim.setTamper(true, 'vs1');
    await log.next((e) => e.kind === 'tamper' && e.source === 'vs1' && e.active);
    assert.deepEqual([watch.state('vs1').tamper, watch.state('vs2').tamper], [true, false]);
    // The subscription is renewed before it ends, and changes after the renewal still arrive on it.
    await renewal;
    sim.setMotion(true, 'vs2');
    await log.next((e) => e.kind === 'motion' && e.source === 'vs2' && e.active && e.operation === 'Changed');
    assert.equal(subscribed.filter((s) => s === 'created').length, 1);
  } finally {
    await watch.stop();
  }
  assert.equal(sim.eventSubscriptions, 0, 'stop() unsubscribes');
});

test('a PullPoint subscription: a pull with nothing new ends empty at its timeout; after Unsubscribe the address is gone', { timeout: 30_000 }, async () => {
  const sim = await startCameraSim({ name: 'Events Cam', discoveryPort: null });
  sims.push(sim);
  const { eventsXaddr } = await describeCamera({ xaddr: sim.onvifUrl });
  assert.ok(eventsXaddr);
  const subscription = await PullPointSubscription.create({ xaddr: eventsXaddr, pullTimeoutMs: 1_000 });
  assert.match(subscription.address, /\/onvif\/pullpoint\/\d+$/);
  const initial = await subscription.pull();
  assert.deepEqual(initial.map((e) => [e.kind, e.source, e.active]), [['motion', 'vs', true], ['tamper', 'vs', false]]);
  assert.deepEqual(await subscription.pull(), []);
  await subscription.renew();
  await subscription.unsubscribe();
  assert.equal(sim.eventSubscriptions, 0);
  await assert.rejects(subscription.pull(), { code: 'unprocessable', message: /no subscription/ });
});

test('wrong credentials on the events service are reported as unauthenticated and retried, not thrown', { timeout: 30_000 }, async () => {
  const sim = await startCameraSim({ name: 'Events Locked', user: 'admin', password: 'right', discoveryPort: null });
  sims.push(sim);
  let failed: (code: string) => void = () => undefined;
  const failure = new Promise<string>((resolve) => (failed = resolve));
  const watch = new DeviceEventWatch({ xaddr: sim.onvifUrl.replace('device_service', 'event_service'), user: 'admin', password: 'wrong', onError: (e) => failed(e.code) });
  watch.start();
  assert.equal(await failure, 'unauthenticated');
  await watch.stop();
  assert.equal(watch.isSubscribed, false);
});

test('rule engine topics (cell motion, tamper detector) and imaging alarms are read; other topics and unreadable states are left out', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', removeNSPrefix: true, parseTagValue: false, isArray: (n) => n === 'NotificationMessage' || n === 'SimpleItem' });
  const tree = parser.parse(fixture('pull-messages-rule-engine.xml')) as { Envelope: { Body: { PullMessagesResponse: unknown } } };
  const events = readNotifications(tree.Envelope.Body.PullMessagesResponse);
  assert.deepEqual(events.map((e) => [e.kind, e.source, e.active, e.operation]), [
    ['motion', 'VideoSource_1', true, 'Changed'],
    ['tamper', 'VideoSource_2', false, 'Initialized'],
    ['tamper', 'VideoSource_2', true, 'Changed'],
  ]);
  assert.equal(events[0]?.at, Date.UTC(2020, 0, 1, 0, 0, 9));
  assert.deepEqual(readNotifications(undefined), []);
});

test('the motion gate opens on a still picture while the camera reports motion on that channel, and only then', { timeout: 30_000 }, async () => {
  const sim = await startCameraSim({ name: 'Gate NVR', channels: 2, discoveryPort: null });
  sims.push(sim);
  const { eventsXaddr } = await describeCamera({ xaddr: sim.onvifUrl });
  assert.ok(eventsXaddr);
  const log = eventLog();
  const watch = new DeviceEventWatch({ xaddr: eventsXaddr, pullTimeoutMs: 1_000, onEvent: (e) => log.push(e) });
  watch.start();
  try {
    const still = { width: 64, height: 48, format: 'gray' as const, data: new Uint8Array(64 * 48).fill(90) };
    const gate = new DeviceAssistedMotionGate(new RunningAverageMotionGate({ width: 64, warmupFrames: 1 }), watch, 'vs1');
    const pixelsOnly = new RunningAverageMotionGate({ width: 64, warmupFrames: 1 });
    for (let i = 0; i < 3; i++) pixelsOnly.update(still);
    assert.equal(pixelsOnly.update(still).hasMotion, false, 'nothing moves in the picture itself');
    await log.next((e) => e.kind === 'motion' && e.source === 'vs1' && e.active);
    for (let i = 0; i < 3; i++) gate.update(still);
    assert.equal(gate.update(still).hasMotion, true, 'the camera says channel 1 moves');
    sim.setMotion(false, 'vs1');
    await log.next((e) => e.kind === 'motion' && e.source === 'vs1' && !e.active);
    assert.equal(gate.update(still).hasMotion, false, 'the camera says channel 1 is still');
    // Motion on channel 2 does not open channel 1's gate.
    await log.next((e) => e.kind === 'motion' && e.source === 'vs2' && e.active);
    assert.equal(watch.state('vs2').motion, true);
    assert.equal(gate.update(still).hasMotion, false);
  } finally {
    await watch.stop();
  }
});

test('an events service without PullPoint (ActionNotSupported) is given up after one attempt, not asked forever', { timeout: 30_000 }, async (t) => {
  const device = await serveFixtureDevice({});
  t.after(() => device.close());
  const errors: string[] = [];
  const watch = new DeviceEventWatch({ xaddr: device.xaddr.replace('device_service', 'event_service'), retry: { initialMs: 100, maxMs: 100 }, onError: (e) => errors.push(e.code) });
  watch.start();
  await watch.ended();
  assert.deepEqual(errors, ['unprocessable']);
  assert.deepEqual(device.requests.map((r) => r.action), ['CreatePullPointSubscription']);
  assert.match(watch.lastError?.message ?? '', /does not offer CreatePullPointSubscription/);
});
