// The lane, end to end: two checkout cameras (one with a shopper, one empty), a POS journal over TCP naming both
// registers, NanoDet-m, the no_sale_drawer_open rule, a Milestone XProtect Event Server receiving analytics events,
// and a real hub. A no-sale at the empty lane raises an alarm in the VMS and an incident; the same no-sale at
// the lane with a customer raises nothing.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pino } from 'pino';
import type { DetectionEvent } from '../contracts/index.js';
import { startPlugin, type RunningPlugin } from '../plugin/app.js';
import { startCameraSim } from '../plugin/camera-sim/index.js';
import { validatePluginConfig } from '../plugin/config/index.js';
import { makePersonVideo, sharedModelDir } from '../plugin/pipeline/test-support/person-video.js';
import { freeTcpPort } from './support/free-ports.js';
import { startTestHub } from './support/hub.js';
import { makeEmptyLaneVideo, noSaleLine, waitFor } from './support/lane-journal.js';
import { MilestoneReceiver } from '../adapters/vms/milestone-event-receiver.js';

const MODEL_DIR = sharedModelDir();

test('a no-sale at an empty lane alarms in the VMS console and opens an incident; at a lane with a customer it does not', {
  timeout: 240_000,
  skip: MODEL_DIR === null ? 'shared/models/nanodet-m absent: no detector to run end to end' : false,
}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-lane-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const hub = await startTestHub({ dataDir: join(dir, 'hub') });
  t.after(() => hub.stop());
  const store = await hub.createStore();
  const laneA = (await hub.admin.post<{ id: string }>('/v1/lanes', { storeId: store.id, name: 'Lane 1' })).id;
  const laneB = (await hub.admin.post<{ id: string }>('/v1/lanes', { storeId: store.id, name: 'Lane 2' })).id;
  const cameraA = await hub.createCamera(store.id, { laneId: laneA });
  const cameraB = await hub.createCamera(store.id, { laneId: laneB });
  const token = await hub.createPluginToken([store.id]);

  const size = { width: 384, height: 256, fps: 5 };
  const video = await makePersonVideo(dir, 'shopper.mp4', { ...size, seconds: 8, isPanning: false });
  const shopper = await startCameraSim({ discoveryPort: null, source: { kind: 'file', path: video }, main: size, sub: size });
  t.after(() => shopper.stop());
  const empty = await startCameraSim({ discoveryPort: null, source: { kind: 'file', path: await makeEmptyLaneVideo(dir, size) }, main: size, sub: size });
  t.after(() => empty.stop());
  const vms = new MilestoneReceiver();
  const vmsPort = await vms.listen();
  t.after(() => vms.close());
  const journalPort = await freeTcpPort();

  const wholeFrame = [{ name: 'customer', type: 'customer', polygon: [[0, 0], [1, 0], [1, 1], [0, 1]] }];
  const { config } = validatePluginConfig({
    hub: { url: hub.url, token },
    dataDir: join(dir, 'plugin'),
    model: { path: join(MODEL_DIR ?? '', 'nanodet_m.onnx'), decoder: 'nanodet', workers: 1 },
    analysis: size,
    evidence: { preSeconds: 2, postSeconds: 2, windowSeconds: 20 },
    outbox: { drainTimeoutMs: 30_000 },
    cameras: [
      { id: cameraA.id, storeId: store.id, laneId: laneA, name: 'Lane 1 camera', analysisUrl: shopper.rtspUrl.sub, zones: wholeFrame, vms: { name: 'Till 1' } },
      { id: cameraB.id, storeId: store.id, laneId: laneB, name: 'Lane 2 camera', analysisUrl: empty.rtspUrl.sub, zones: wholeFrame, vms: { name: 'Till 2' } },
    ],
    pos: {
      sources: [{ type: 'tcp_listen', name: 'journal', host: '127.0.0.1', port: journalPort, grammar: 'ncr-ej', timeZone: 'UTC' }],
      lanes: [{ workstationId: '01', laneId: laneA }, { workstationId: '02', laneId: laneB }],
    },
    vms: { adapter: 'milestone', host: '127.0.0.1', port: vmsPort, eventMessage: 'Vigil alarm' },
    rules: [
      { rule: 'no_sale_drawer_open', severity: 'high' },
      // A signal for the test: the shopper is seen standing in lane 1's customer zone.
      { rule: 'zone_dwell', name: 'shopper present', cameras: [cameraA.id], zoneType: 'customer', minSeconds: 1, severity: 'low' },
    ],
  }, {}, 'lane-e2e');

  const queued: DetectionEvent[] = [];
  const plugin: RunningPlugin = await startPlugin(config, {
    logger: pino({ level: process.env.VIGIL_TEST_LOG ?? 'silent' }),
    tracker: { highScore: 0.4, newTrackScore: 0.45 },
    onEventQueued: (event) => void queued.push(event),
  });
  t.after(() => plugin.stop());

  await waitFor('the shopper in lane 1', 150_000, () => queued.find((e) => e.type === 'zone_dwell' && e.cameraId === cameraA.id));
  // The rule judges a no-sale against what the camera saw from 5 s before it: both cameras must have been watching.
  const frames = (id: string): number => plugin.status().cameras.find((c) => c.cameraId === id)?.pipeline.frames ?? 0;
  await waitFor('both lanes watched for 8 s', 60_000, () => (frames(cameraA.id) >= 40 && frames(cameraB.id) >= 40 ? true : undefined));
  const journal = connect(journalPort, '127.0.0.1');
  await new Promise<void>((resolve, reject) => journal.once('connect', resolve).once('error', reject));
  const now = new Date();
  journal.write(noSaleLine('01', now) + noSaleLine('02', now));

  const alarmEvent = await waitFor('the no-sale alarm of lane 2', 60_000, () => queued.find((e) => e.type === 'no_sale_drawer_open'));
  assert.equal(alarmEvent.cameraId, cameraB.id, 'the empty lane, not the one with a customer');
  assert.equal(alarmEvent.laneId, laneB);
  assert.equal(alarmEvent.attributes.posWorkstationId, '02');
  const alarm = await vms.arrival(alarmEvent.id);
  const xml = alarm.bytes.toString('utf8');
  assert.match(xml, /<Message>Vigil alarm<\/Message>/);
  assert.match(xml, /<Name>Till 2<\/Name>/);
  assert.match(xml, new RegExp(`<CustomTag>${alarmEvent.id}</CustomTag>`));
  assert.equal(plugin.status().vms?.state, 'ok');

  // Lane 1 judged the same moment; give its pipeline a few more seconds of frames, then nothing may have come.
  const framesNow = frames(cameraA.id);
  await waitFor('lane 1 analysing on', 30_000, () => (frames(cameraA.id) > framesNow + 30 ? true : undefined));
  assert.deepEqual(queued.filter((e) => e.type === 'no_sale_drawer_open').map((e) => e.cameraId), [cameraB.id]);
  journal.destroy();

  const { pending } = await plugin.stop();
  assert.equal(pending, 0);
  const incidents = await hub.admin.get<{ data: Array<{ type: string; laneId: string | null }> }>(`/v1/incidents?laneId=${laneB}`);
  assert.ok(incidents.data.some((i) => i.type === 'no_sale_drawer_open'), 'the hub opened the incident for review');
  const health = plugin.status().pos;
  assert.equal(health?.lanes.find((l) => l.laneId === laneB)?.events, 1);
});
