import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pino } from 'pino';
import type { Detection, DetectionEvent, Detector, Frame, VmsAlarm } from '../../contracts/index.js';
import { detectionEventSchema, newId, posLaneEventSchema } from '../../contracts/index.js';
import type { CameraHealth } from '../capture/index.js';
import { ClipError, probeMedia, type ClipResult } from '../evidence/index.js';
import { RunningAverageMotionGate } from '../motion/index.js';
import type { RuleConfig } from '../config/index.js';
import { createRule, type Rule, type RuleHit } from '../rules/index.js';
import { ByteTracker, ZoneDwellTracker } from '../tracking/index.js';
import { CameraPipeline } from './camera-pipeline.js';
import { rulesForCamera } from './camera-rules.js';
import { buildHitEvent } from './event-builder.js';
import { EventRaiser, type EvidenceUploadJob } from './event-raiser.js';
import { HealthReporter } from './health-reporter.js';
import { PosFanout } from './pos-fanout.js';

const silent = pino({ level: 'silent' });
const camera = { id: newId('camera'), storeId: newId('store'), name: 'Till 3 overview', vms: { name: 'Till 3' } };
const SHA = 'a'.repeat(64);

function hit(at = Date.now()): RuleHit {
  return {
    rule: 'zone_dwell', trackId: 7, zone: 'till-1', zoneType: 'customer', label: 'person', since: at - 4_200, at, confidence: 0.8, severity: 'medium', explanation: 'person 7 stayed in till-1', evidence: { from: at - 4_200, to: at },
    pos: [], attributes: { dwellSeconds: 4.2 }, dedupKey: `zone_dwell:7:${at}`,
    detections: [{ label: 'person', score: 0.8, box: [0.1, 0.2, 0.4, 0.9], trackId: 7 }],
  };
}

function clipResult(at: number): ClipResult {
  return {
    cameraId: camera.id, at, from: at - 2_000, to: at + 2_000, complete: true, warnings: [],
    clip: { path: '/tmp/c.mp4', sha256: SHA, bytes: 1234, contentType: 'video/mp4', startedAt: at - 2_400, endedAt: at + 2_000, codec: 'h264', profile: null, segments: 3 },
    snapshot: { path: '/tmp/c.jpg', sha256: 'b'.repeat(64), bytes: 99, contentType: 'image/jpeg', at },
  };
}

/** An in-memory EventSink: what the outbox would have stored, in order. */
function memorySink(): { events: DetectionEvent[]; jobs: EvidenceUploadJob[]; alarms: VmsAlarm[]; order: string[]; appendEvent(e: DetectionEvent): Promise<void>; appendEvidenceJob(j: EvidenceUploadJob): Promise<void>; appendAlarm(a: VmsAlarm): Promise<void> } {
  const sink = {
    events: [] as DetectionEvent[], jobs: [] as EvidenceUploadJob[], order: [] as string[],
    appendEvent: async (event: DetectionEvent) => void (sink.events.push(event), sink.order.push(`event:${event.type}`)),
    appendEvidenceJob: async (job: EvidenceUploadJob) => void (sink.jobs.push(job), sink.order.push(`upload:${job.upload.kind}`)),
    alarms: [] as VmsAlarm[],
    appendAlarm: async (alarm: VmsAlarm) => void (sink.alarms.push(alarm), sink.order.push(`alarm:${alarm.type}`)),
  };
  return sink;
}

test('a rule hit becomes a contract-valid event naming its clip and snapshot by hash and size', () => {
  const at = Date.parse('2026-11-25T10:00:00Z');
  const event = buildHitEvent({ hit: { ...hit(at), severity: 'high' }, camera, rule: { name: 'loitering' }, modelName: 'nanodet-m', clip: clipResult(at) });
  assert.ok(detectionEventSchema.safeParse(event).success);
  assert.equal(event.occurredAt, '2026-11-25T10:00:00.000Z');
  assert.deepEqual(event.evidence.map((e) => [e.kind, e.sha256, e.bytes]), [['clip', SHA, 1234], ['snapshot', 'b'.repeat(64), 99]]);
  assert.equal(event.evidence[0]?.startedAt, '2026-11-25T09:59:57.600Z');
  assert.equal(event.attributes.dwellSeconds, 4.2);
  assert.equal(event.severity, 'high');
  assert.equal(event.rule.name, 'loitering');
});

test('the event is queued when the rule fires; clip and snapshot follow as uploads under its id', async () => {
  const sink = memorySink();
  const raiser = new EventRaiser({ camera, modelName: 'm', recorder: { clip: async (r) => clipResult(r.at) }, clipDir: '/tmp', preMs: 2_000, postMs: 2_000, sink, logger: silent });
  raiser.raise(hit(), { name: 'zone_dwell' }, Date.now());
  await raiser.settle();
  assert.deepEqual(sink.order, ['event:zone_dwell', 'upload:clip', 'upload:snapshot']);
  assert.equal(sink.events[0]?.attributes.evidencePending, true);
  assert.ok(sink.jobs.every((j) => j.upload.eventId === sink.events[0]?.id));
});

test('with a VMS configured, the alarm is queued first, then its event, on the camera as the VMS names it', async () => {
  const sink = memorySink();
  const raiser = new EventRaiser({ camera, raisesAlarms: true, modelName: 'm', recorder: { clip: async (r) => clipResult(r.at) }, clipDir: '/tmp', preMs: 2_000, postMs: 2_000, sink, logger: silent });
  raiser.raise(hit(), { name: 'zone_dwell' }, Date.now());
  await raiser.settle();
  assert.deepEqual(sink.order, ['alarm:zone_dwell', 'event:zone_dwell', 'upload:clip', 'upload:snapshot']);
  const [alarm] = sink.alarms;
  assert.equal(alarm?.id, sink.events[0]?.id);
  assert.deepEqual(alarm?.camera, { id: camera.id, name: 'Till 3 overview', vms: { name: 'Till 3' } });
  assert.equal(alarm?.description, 'person 7 stayed in till-1');
  assert.deepEqual(alarm?.detections, sink.events[0]?.detections);
});

test('the alarm links to its incident through the console, by the event it carries (the incident is opened after)', async () => {
  const sink = memorySink();
  const raiser = new EventRaiser({ camera, raisesAlarms: true, consoleUrl: 'https://vigil.example.com/lp', modelName: 'm', recorder: null, clipDir: '/tmp', preMs: 0, postMs: 0, sink, logger: silent });
  raiser.raise(hit(), { name: 'zone_dwell' }, Date.now());
  await raiser.settle();
  const eventId = sink.events[0]!.id;
  assert.equal(sink.alarms[0]?.incidentUrl, `https://vigil.example.com/lp/console/events/${eventId}`);
});

test('the event does not wait for the clip: it is queued while the post-roll is still being recorded', async () => {
  const sink = memorySink();
  let release: () => void = () => undefined;
  const recorded = new Promise<void>((resolve) => (release = resolve));
  const recorder = { clip: async (r: { at: number }): Promise<ClipResult> => (await recorded, clipResult(r.at)) };
  const raiser = new EventRaiser({ camera, modelName: 'm', recorder, clipDir: '/tmp', preMs: 2_000, postMs: 2_000, sink, logger: silent });
  raiser.raise(hit(), { name: 'zone_dwell' }, Date.now());
  while (sink.events.length === 0) await new Promise((r) => setImmediate(r));
  assert.deepEqual(sink.order, ['event:zone_dwell'], 'queued before any clip exists');
  release();
  await raiser.settle();
  assert.deepEqual(sink.order, ['event:zone_dwell', 'upload:clip', 'upload:snapshot']);
});

test('the hit frame leaves as a JPEG right after the event, before the post-roll; the clip follows without a second snapshot', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-hit-frame-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const sink = memorySink();
  let release: () => void = () => undefined;
  const recorded = new Promise<void>((resolve) => (release = resolve));
  const recorder = { clip: async (r: { at: number }): Promise<ClipResult> => (await recorded, clipResult(r.at)) };
  const raiser = new EventRaiser({ camera, modelName: 'm', recorder, clipDir: dir, preMs: 2_000, postMs: 2_000, sink, logger: silent });
  const [width, height] = [64, 48];
  const pixels = new Uint8Array(width * height * 3).map((_, i) => (i % 3 === 0 ? 200 : 30));
  const at = Date.now();
  raiser.raise(hit(at), { name: 'zone_dwell' }, at, { timestamp: at, width, height, format: 'rgb24', pixels });
  pixels.fill(0); // the pipeline reuses its buffer at once: the raiser must have taken a copy
  while (sink.jobs.length === 0) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(sink.order, ['event:zone_dwell', 'upload:snapshot'], 'the snapshot is queued while the post-roll is still being recorded');
  const job = sink.jobs[0]!;
  const jpeg = await readFile(job.filePath);
  assert.deepEqual([...jpeg.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG');
  assert.equal(job.upload.bytes, jpeg.length);
  assert.equal(job.upload.sha256, createHash('sha256').update(jpeg).digest('hex'));
  assert.equal(job.upload.capturedFrom, new Date(at).toISOString());
  const probe = await probeMedia(job.filePath);
  assert.deepEqual([probe.video?.codec, probe.video?.width, probe.video?.height], ['mjpeg', width, height]);
  release();
  await raiser.settle();
  assert.deepEqual(sink.order, ['event:zone_dwell', 'upload:snapshot', 'upload:clip']);
});

test('a clip that cannot be cut costs the evidence, never the event', async () => {
  const sink = memorySink();
  const recorder = { clip: async (): Promise<ClipResult> => Promise.reject(new ClipError('no_segments', 'no recorded video covers the requested time')) };
  const raiser = new EventRaiser({ camera, modelName: 'm', recorder, clipDir: '/tmp', preMs: 2_000, postMs: 2_000, sink, logger: silent });
  raiser.raise(hit(), { name: 'zone_dwell' }, Date.now());
  await raiser.settle();
  assert.equal(sink.events.length, 1);
  assert.deepEqual(sink.events[0]?.evidence, []);
  assert.equal(sink.jobs.length, 0);
  assert.deepEqual(raiser.counts(), { raised: 1, failed: 0, pending: 0 });
});

test('camera health: offline and the way back reach the hub once each; flapping within the interval does not flood it', async () => {
  const sent: DetectionEvent[] = [];
  const reporter = new HealthReporter({ camera, append: async (e) => void sent.push(e), logger: silent, minOfflineIntervalMs: 60_000 });
  const health = (state: CameraHealth['state'], since: number): CameraHealth => ({ cameraId: camera.id, state, fps: 0, targetFps: 5, lastFrameAt: null, restarts: 1, lastError: 'Connection refused', dropped: 0, since });
  const t = Date.now();
  reporter.observe(health('streaming', t));
  reporter.observe(health('offline', t + 1_000));
  reporter.observe(health('offline', t + 1_500)); // same state again: nothing new
  reporter.observe(health('streaming', t + 5_000));
  reporter.observe(health('offline', t + 9_000)); // within a minute of the last report
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(sent.map((e) => [e.type, e.attributes.state, e.severity]), [['camera_health', 'offline', 'high'], ['camera_health', 'streaming', 'low']]);
});

test('a rule limited to some cameras runs only there, and each camera gets its own rule state', () => {
  const other = newId('camera');
  const configs: RuleConfig[] = [
    { rule: 'zone_dwell', name: undefined, cameras: undefined, settings: { labels: ['person'], zoneType: 'customer', minSeconds: 5, severity: 'medium' } },
    { rule: 'zone_dwell', name: 'exit watch', cameras: [other as never], settings: { labels: ['person'], zoneType: 'exit', minSeconds: 1, severity: 'low' } },
  ];
  assert.deepEqual(rulesForCamera(configs, camera, 'UTC').map((r) => r.label.name), ['zone_dwell']);
  const a = rulesForCamera(configs, { id: other }, 'UTC');
  const b = rulesForCamera(configs, { id: other }, 'UTC');
  assert.deepEqual(a.map((r) => r.label.name), ['zone_dwell', 'exit watch']);
  assert.notEqual(a[0]?.rule, b[0]?.rule);
});

/** Frames from memory: a still grey picture, with a bright square drawn on the frames listed in `moving`. */
async function* scriptedFrames(count: number, moving: ReadonlySet<number>): AsyncGenerator<Frame> {
  for (let i = 0; i < count; i += 1) {
    const data = new Uint8Array(64 * 48 * 3).fill(60);
    if (moving.has(i)) for (let y = 10; y < 30; y += 1) data.fill(250, (y * 64 + 10 + i) * 3, (y * 64 + 30 + i) * 3);
    yield { cameraId: camera.id, width: 64, height: 48, format: 'rgb24', data, timestamp: 1_000_000 + i * 200, sequence: i };
  }
}

test('gated frames still age the tracks, and a detector failure costs one frame, not the loop', async () => {
  const person: Detection = { label: 'person', classId: 0, score: 0.9, box: [10, 10, 30, 40] };
  let calls = 0;
  const detector: Detector = {
    modelName: 'scripted',
    // Sees the person only where the picture shows one (the bright square).
    detect: async (frame) => {
      calls += 1;
      if (calls === 2) throw new Error('inference worker died');
      return frame.data.includes(250) ? [person] : [];
    },
    close: async () => undefined,
  };
  const moving = new Set([3, 4, 5, 6, 7, 8]);
  const hits: RuleHit[] = [];
  const zones = [{ name: 'z', type: 'customer' as const, polygon: [[0, 0], [1, 0], [1, 1], [0, 1]] as Array<[number, number]> }];
  const tracker = new ByteTracker({ confirmFrames: 2, maxMissedMs: 600 });
  const pipeline = new CameraPipeline({
    cameraId: camera.id, source: { cameraId: camera.id, frames: () => scriptedFrames(20, moving) }, detector, logger: silent,
    motion: new RunningAverageMotionGate({ warmupFrames: 1, alpha: 0.5 }), tracker, zones: new ZoneDwellTracker(zones),
    rules: [{ rule: createRule('zone_dwell', { zoneType: 'customer', minSeconds: 0.3 }, { timezone: 'UTC' }), label: { name: 'zone_dwell' } }],
    confirmEveryMs: 60_000, onHit: (h) => hits.push(h),
  });
  await pipeline.run(new AbortController().signal);
  const stats = pipeline.stats();
  assert.equal(stats.frames, 20);
  assert.equal(stats.detectorErrors, 1);
  assert.equal(stats.detected, calls);
  assert.ok(stats.detected < 20, 'still frames skipped the detector');
  assert.equal(hits.length, 1, 'the person confirmed, dwelt and fired once');
  // After the motion stopped, the missed frames aged the track out: nothing is tracked any more.
  assert.equal(tracker.update([], 1_000_000 + 20 * 200).tracks.length, 0);
});

test('a hit on a detected frame gets that frame’s pixels although the detector took its buffer', async () => {
  const person: Detection = { label: 'person', classId: 0, score: 0.9, box: [10, 10, 30, 40] };
  const seenByDetector: number[] = [];
  const detector: Detector = {
    modelName: 'transferring',
    // Like the worker pool: the frame's buffer moves to another thread and the caller's view is detached.
    detect: async (frame) => {
      const moved = structuredClone(frame.data, { transfer: [frame.data.buffer as ArrayBuffer] });
      seenByDetector.push(moved.reduce((sum, v) => sum + v, 0));
      return [person];
    },
    close: async () => undefined,
  };
  const kept: number[] = [];
  const always: Rule = { name: 'always', evaluate: (input) => (input.tracks.length > 0 ? [{ ...hit(input.at), trackId: input.tracks[0]!.id }] : []) };
  const pipeline = new CameraPipeline({
    cameraId: camera.id, source: { cameraId: camera.id, frames: () => scriptedFrames(6, new Set([1, 2, 3, 4, 5])) }, detector, logger: silent,
    motion: new RunningAverageMotionGate({ warmupFrames: 1, alpha: 0.5 }), tracker: new ByteTracker({ confirmFrames: 1, maxMissedMs: 600 }),
    zones: new ZoneDwellTracker([]), rules: [{ rule: always, label: { name: 'always' } }], keepsFramePixels: true,
    onHit: (_h, _l, frame) => void kept.push(frame.pixels?.reduce((sum, v) => sum + v, 0) ?? -1),
  });
  await pipeline.run(new AbortController().signal);
  assert.ok(kept.length > 0, 'the rule fired');
  assert.ok(seenByDetector.length >= kept.length);
  assert.deepEqual(kept, seenByDetector.slice(-kept.length), 'each hit carries exactly the pixels the detector saw');
});

test('POS events reach the camera’s rules on the next frame, and products entering the scanner refine the lane clock', async () => {
  const product: Detection = { label: 'product', classId: 1, score: 0.9, box: [20, 20, 28, 28] };
  const detector: Detector = { modelName: 'scripted', detect: async () => [product], close: async () => undefined };
  const crossings: number[] = [];
  const fanout = new PosFanout({ observeScannerCrossing: (_lane, at) => void crossings.push(at) });
  const seen: string[] = [];
  const recorder: Rule = { name: 'recorder', evaluate: (input) => (seen.push(...input.pos.map((e) => `${e.kind}@${e.at}`)), []) };
  const scanner = [{ name: 'scan', type: 'scanner' as const, polygon: [[0, 0], [1, 0], [1, 1], [0, 1]] as Array<[number, number]> }];
  const pipeline = new CameraPipeline({
    cameraId: camera.id, source: { cameraId: camera.id, frames: () => scriptedFrames(8, new Set([0, 1, 2, 3, 4, 5, 6, 7])) }, detector, logger: silent,
    motion: new RunningAverageMotionGate({ warmupFrames: 1, alpha: 0.5 }), tracker: new ByteTracker({ confirmFrames: 2, maxMissedMs: 600 }),
    zones: new ZoneDwellTracker(scanner), rules: [{ rule: recorder, label: { name: 'recorder' } }],
    pos: fanout.feedFor({ laneId: 'lan_1', isStoreWide: false }), onHit: () => undefined,
  });
  fanout.publish({ ...posLaneEventSchema.parse({ workstationId: 'T1', kind: 'sale', posTime: 5 }), laneId: 'lan_1', at: 5 });
  fanout.publish({ ...posLaneEventSchema.parse({ workstationId: 'T9', kind: 'sale', posTime: 6 }), laneId: 'lan_9', at: 6 });
  await pipeline.run(new AbortController().signal);
  assert.deepEqual(seen, ['sale@5'], 'only the camera’s lane, exactly once');
  assert.equal(crossings.length, 1, 'one product entered the scanner zone once');
});

/**
 * Frames at 5 fps from `start`: a bright square (the person) walks in over the first four frames and then stands
 * still, until frame `goneAfter`; an optional gap (an outage) after one frame.
 */
async function* stillScene(count: number, start: number, options: { gapAfter?: { frame: number; ms: number }; goneAfter?: number } = {}): AsyncGenerator<Frame> {
  let at = start;
  const { gapAfter, goneAfter = count } = options;
  for (let i = 0; i < count; i += 1) {
    const data = new Uint8Array(64 * 48 * 3).fill(60);
    const x = 10 + Math.max(0, 4 - i) * 4;
    if (i <= goneAfter) for (let y = 10; y < 30; y += 1) data.fill(250, (y * 64 + x) * 3, (y * 64 + x + 20) * 3);
    yield { cameraId: camera.id, width: 64, height: 48, format: 'rgb24', data, timestamp: at, sequence: i };
    at += gapAfter !== undefined && i === gapAfter.frame ? gapAfter.ms : 200;
  }
}

function loiteringPipeline(frames: AsyncGenerator<Frame>, hits: RuleHit[], seesPerson: () => boolean): { pipeline: CameraPipeline; detections: () => number } {
  let calls = 0;
  const person: Detection = { label: 'person', classId: 0, score: 0.9, box: [10, 10, 30, 30] };
  const detector: Detector = { modelName: 'scripted', detect: async () => (calls += 1, seesPerson() ? [person] : []), close: async () => undefined };
  const zones = [{ name: 'hv', type: 'high_value' as const, polygon: [[0, 0], [1, 0], [1, 1], [0, 1]] as Array<[number, number]> }];
  const pipeline = new CameraPipeline({
    cameraId: camera.id, source: { cameraId: camera.id, frames: () => frames }, detector, logger: silent,
    motion: new RunningAverageMotionGate({ warmupFrames: 1 }), tracker: new ByteTracker({ confirmFrames: 2, maxMissedMs: 3_000 }), zones: new ZoneDwellTracker(zones),
    rules: [{ rule: createRule('zone_dwell', { zoneType: 'high_value', minSeconds: 90 }, { timezone: 'UTC' }), label: { name: 'loitering' } }],
    onHit: (h) => hits.push(h),
  });
  return { pipeline, detections: () => calls };
}

test('a person standing still in a 90 s loitering zone stays tracked and is alarmed once', async () => {
  const hits: RuleHit[] = [];
  // 120 s of a still scene: the person walked in during the first frames, then stood still.
  const { pipeline, detections } = loiteringPipeline(stillScene(600, 1_000_000), hits, () => true);
  await pipeline.run(new AbortController().signal);
  assert.equal(hits.length, 1, 'one alarm for one stay');
  assert.ok((hits[0]?.at ?? 0) - 1_000_000 >= 90_000);
  assert.ok(detections() < 200, `the detector looked now and then, not on every frame (${detections()} of 600)`);
});

test('a stream that comes back after an outage raises nothing from before it', async () => {
  const hits: RuleHit[] = [];
  let isPersonThere = true;
  // 80 s in the zone, a 60 s outage, and an empty scene afterwards.
  const frames = stillScene(500, 1_000_000, { gapAfter: { frame: 400, ms: 60_000 }, goneAfter: 400 });
  const { pipeline } = loiteringPipeline((async function* () {
    for await (const frame of frames) {
      if (frame.sequence > 400) isPersonThere = false;
      yield frame;
    }
  })(), hits, () => isPersonThere);
  await pipeline.run(new AbortController().signal);
  assert.deepEqual(hits, [], 'the dwell before the outage never completes after it');
  assert.equal(pipeline.stats().restarts, 1);
});

test('a pause the decoder kept filling (frames dropped while the analysis was busy) is not an outage', async () => {
  const hits: RuleHit[] = [];
  const frames = (async function* () {
    // 5 fps; the analysis stalls 4 s after frame 10, and the mailbox hands over the newest of the 20 frames decoded meanwhile.
    for (let i = 0; i < 30; i += 1) {
      const sequence = i <= 10 ? i : i + 19;
      const at = 1_000_000 + sequence * 200;
      yield { cameraId: camera.id, width: 64, height: 48, format: 'rgb24' as const, data: new Uint8Array(64 * 48 * 3).fill(60), timestamp: at, sequence };
    }
  })();
  const detector: Detector = { modelName: 'scripted', detect: async () => [], close: async () => undefined };
  const pipeline = new CameraPipeline({
    cameraId: camera.id, source: { cameraId: camera.id, frames: () => frames }, detector, logger: silent, fps: 5,
    motion: new RunningAverageMotionGate({ warmupFrames: 1 }), tracker: new ByteTracker(), zones: new ZoneDwellTracker([]), rules: [], onHit: (h) => hits.push(h),
  });
  await pipeline.run(new AbortController().signal);
  assert.equal(pipeline.stats().restarts, 0);
});
