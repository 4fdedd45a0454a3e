// A pilot program end to end: the hub runs a no-sale rule as a program in shadow mode on one store; the plugin pulls
// it with the store's rules and runs it on an empty checkout lane. A no-sale there becomes a shadow incident at the
// hub and no alarm in the Milestone XProtect Event Server; once an lp_admin promotes the program, the plugin pulls
// the live version and the next no-sale alarms the VMS console.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pino } from 'pino';
import type { DetectionEvent } from '../contracts/index.js';
import { startPlugin } from '../plugin/app.js';
import { startCameraSim } from '../plugin/camera-sim/index.js';
import { validatePluginConfig } from '../plugin/config/index.js';
import { sharedModelDir } from '../plugin/pipeline/test-support/person-video.js';
import { freeTcpPort } from './support/free-ports.js';
import { startTestHub } from './support/hub.js';
import { makeEmptyLaneVideo, noSaleLine, waitFor } from './support/lane-journal.js';
import { MilestoneReceiver } from '../adapters/vms/milestone-event-receiver.js';

const MODEL_DIR = sharedModelDir();

test('a shadow program raises no VMS alarm and files a shadow incident; promoted, the same rule alarms the console', {
  timeout: 240_000,
  skip: MODEL_DIR === null ? 'shared/models/nanodet-m absent: no detector to run end to end' : false,
}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-program-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const hub = await startTestHub({ dataDir: join(dir, 'hub') });
  t.after(() => hub.stop());
  const store = await hub.createStore();
  const lane = (await hub.admin.post<{ id: string }>('/v1/lanes', { storeId: store.id, name: 'Lane 1' })).id;
  const camera = await hub.createCamera(store.id, { laneId: lane });
  const program = await hub.admin.post<{ id: string }>('/v1/programs', {
    name: 'No-sale pilot', storeIds: [store.id], laneIds: [lane], rules: [{ rule: 'no_sale_drawer_open', name: 'no-sale pilot', settings: { graceSeconds: 4 } }],
  });

  const size = { width: 384, height: 256, fps: 5 };
  const video = await makeEmptyLaneVideo(dir, size);
  const sim = await startCameraSim({ discoveryPort: null, source: { kind: 'file', path: video }, main: size, sub: size });
  t.after(() => sim.stop());
  const vms = new MilestoneReceiver();
  const vmsPort = await vms.listen();
  t.after(() => vms.close());
  const journalPort = await freeTcpPort();

  const { config } = validatePluginConfig({
    hub: { url: hub.url, token: await hub.createPluginToken([store.id]), rulesPollSeconds: 5 },
    dataDir: join(dir, 'plugin'),
    model: { path: join(MODEL_DIR ?? '', 'nanodet_m.onnx'), decoder: 'nanodet', workers: 1 },
    analysis: size,
    evidence: { preSeconds: 1, postSeconds: 1, windowSeconds: 20 },
    outbox: { drainTimeoutMs: 30_000 },
    cameras: [{ id: camera.id, storeId: store.id, laneId: lane, name: 'Lane 1 camera', analysisUrl: sim.rtspUrl.sub, zones: [{ name: 'customer', type: 'customer', polygon: [[0, 0], [1, 0], [1, 1], [0, 1]] }], vms: { name: 'Till 1' } }],
    pos: { sources: [{ type: 'tcp_listen', name: 'journal', host: '127.0.0.1', port: journalPort, grammar: 'ncr-ej', timeZone: 'UTC' }], lanes: [{ workstationId: '01', laneId: lane }] },
    vms: { adapter: 'milestone', host: '127.0.0.1', port: vmsPort, eventMessage: 'Vigil alarm' },
    rules: [],
  }, {}, 'program-e2e');
  const queued: DetectionEvent[] = [];
  const plugin = await startPlugin(config, { logger: pino({ level: process.env.VIGIL_TEST_LOG ?? 'silent' }), onEventQueued: (event) => void queued.push(event) });
  t.after(() => plugin.stop());

  const ruleMode = (): string | null | undefined => plugin.status().cameras[0]?.rules?.find((r) => r.program === program.id)?.mode;
  await waitFor('the program pulled with the store rules', 60_000, () => (ruleMode() === 'shadow' ? true : undefined));
  const frames = (): number => plugin.status().cameras[0]?.pipeline.frames ?? 0;
  await waitFor('the lane watched for 8 s', 90_000, () => (frames() >= 40 ? true : undefined));
  const journal = connect(journalPort, '127.0.0.1');
  await new Promise<void>((resolve, reject) => journal.once('connect', resolve).once('error', reject));
  t.after(() => journal.destroy());

  journal.write(noSaleLine('01', new Date()));
  const shadowEvent = await waitFor('the shadow no-sale', 60_000, () => queued.find((e) => e.type === 'no_sale_drawer_open'));
  assert.deepEqual(shadowEvent.program, { id: program.id, mode: 'shadow', version: 1 });
  const shadowIncident = await waitFor('its incident at the hub', 60_000, async () => {
    const list = await hub.admin.get<{ data: Array<{ id: string; shadow: boolean; programId: string | null; type: string }> }>(`/v1/incidents?laneId=${lane}`);
    return list.data.find((i) => i.type === 'no_sale_drawer_open');
  });
  assert.deepEqual([shadowIncident.shadow, shadowIncident.programId], [true, program.id]);

  await hub.admin.post(`/v1/programs/${program.id}/promote`, { reason: 'pilot precision holds' }, 200);
  await waitFor('the live version pulled', 60_000, () => (ruleMode() === 'live' ? true : undefined));
  // A no-sale is judged against the 5 s before it: let the lane be watched again, then ring the drawer.
  const framesAtPromotion = frames();
  await waitFor('5 s more of the lane', 60_000, () => (frames() > framesAtPromotion + 25 ? true : undefined));
  journal.write(noSaleLine('01', new Date()));
  const liveEvent = await waitFor('the live no-sale', 60_000, () => queued.find((e) => e.type === 'no_sale_drawer_open' && e.program?.mode === 'live'));
  const alarm = await vms.arrival(liveEvent.id);
  assert.match(alarm.bytes.toString('utf8'), /<Name>Till 1<\/Name>/);
  // Alarms go out before their events are queued, in order: the shadow hit, raised first, would have arrived first.
  assert.deepEqual(vms.received.map((a) => a.customTag), [liveEvent.id], 'the shadow hit raised no alarm in the VMS');
  const { pending } = await plugin.stop();
  assert.equal(pending, 0);
});
