import { connect } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { MilestoneAdapter } from '../../adapters/vms/index.js';
import { newId } from '../../contracts/index.js';
import { InferencePool, resolveModelConfig } from '../../plugin/inference/index.js';
import { VmsAlarmSender, openOutbox } from '../../plugin/outbox/index.js';
import { CameraRunner } from '../../plugin/pipeline/index.js';
import type { Rule, RuleHit } from '../../plugin/rules/index.js';
import { MilestoneReceiver, preciseNow, type ReceivedAlarm } from '../../adapters/vms/milestone-event-receiver.js';

export interface AlarmSample {
  /** Rule hit -> last byte of the alarm at the receiver, ms. */
  readonly hitToBytes: number;
  /** The analysed frame's capture -> last byte at the receiver, ms (the rule's threshold here is 0 s). */
  readonly frameToBytes: number;
  /** The same bytes POSTed bare over a fresh TCP connection from this process, started at the rule hit, ms. */
  readonly barePost: number;
}

export interface AlarmRunOptions {
  readonly modelPath: string;
  readonly urls: readonly string[];
  readonly dir: string;
  readonly size: { readonly width: number; readonly height: number; readonly fps: number };
  readonly warmupSeconds: number;
  readonly seconds: number;
  readonly onProgress: (samples: number, elapsedSeconds: number) => void;
}

/**
 * A bench rule: fires on a confirmed person at most once every `everyMs`, noting the moment it fired and calling
 * `onFire` there (the bare POST of the baseline starts at that same moment, on the same event loop).
 */
function periodicPersonRule(everyMs: number, fired: Map<number, number>, onFire: (at: number) => void): Rule {
  let last = Number.NEGATIVE_INFINITY;
  return {
    name: 'zone_dwell',
    evaluate: (input): RuleHit[] => {
      const person = input.tracks.find((t) => t.state === 'confirmed' && t.missedFrames === 0 && t.label === 'person');
      if (person === undefined || input.at - last < everyMs) return [];
      last = input.at;
      fired.set(input.at, preciseNow());
      onFire(input.at);
      return [{
        rule: 'zone_dwell', trackId: person.id, zone: 'bench', zoneType: 'customer', label: 'person', since: input.at, at: input.at, confidence: 0.9,
        severity: 'high', explanation: `person ${person.id} in the bench zone`, evidence: { from: input.at, to: input.at }, pos: [], attributes: {}, dedupKey: `bench:${input.at}`,
        detections: [{ label: 'person', score: 0.9, box: [0.1, 0.1, 0.4, 0.9], trackId: person.id }],
      }];
    },
  };
}

/** The same request bytes as the plugin's alarm, sent bare: connect, write, until the receiver has it all. */
async function barePost(receiver: MilestoneReceiver, port: number, original: ReceivedAlarm, round: number): Promise<number> {
  const tag = `bare-${String(round).padStart(original.customTag.length - 5, '0')}`.slice(0, Math.max(original.customTag.length, 10));
  const bytes = Buffer.from(original.bytes.toString('utf8').replace(`<CustomTag>${original.customTag}</CustomTag>`, `<CustomTag>${tag}</CustomTag>`), 'utf8');
  const started = preciseNow();
  const arrived = receiver.arrival(tag);
  const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
  socket.on('data', () => undefined);
  socket.on('error', () => undefined);
  const { at } = await arrived;
  socket.destroy();
  return at - started;
}

/**
 * N cameras through the plugin's real pipeline (decode, motion, NanoDet in a worker, tracker) into a real outbox
 * whose `vms` stream the Milestone adapter sends to a local Event Server receiver; each alarm paired with a
 * bare POST of the same bytes.
 */
export async function measurePluginAlarms(options: AlarmRunOptions): Promise<AlarmSample[]> {
  const receiver = new MilestoneReceiver();
  const port = await receiver.listen();
  const adapter = new MilestoneAdapter({ adapter: 'milestone', host: '127.0.0.1', port, eventMessage: 'Vigil alarm' });
  const outbox = await openOutbox({ dir: join(options.dir, 'outbox'), senders: { vms: new VmsAlarmSender(adapter) } });
  const { manifest, classes } = await resolveModelConfig({ decoder: 'nanodet' });
  const detector = await InferencePool.start({ modelPath: options.modelPath, manifest, classes, size: 1 });
  const samples: AlarmSample[] = [];
  let measuring = false;
  let rounds = 0;
  /** The plugin's first alarm: the bytes every bare POST sends (with its own tag). */
  let template: ReceivedAlarm | undefined;
  const runners = options.urls.map((url, i) => {
    const fired = new Map<number, number>();
    const bare = new Map<number, Promise<number>>();
    const startBare = (at: number): void => {
      if (measuring && template !== undefined) bare.set(at, barePost(receiver, port, template, (rounds += 1)));
    };
    const camera = { id: newId('camera'), storeId: newId('store'), name: `bench ${i + 1}`, analysisUrl: url, evidenceUrl: url, transport: 'tcp' as const, zones: [], vms: { name: `Bench camera ${i + 1}` } };
    return new CameraRunner({
      camera, detector, modelName: manifest.name ?? 'nanodet', rules: [{ rule: periodicPersonRule(2_000, fired, startBare), label: { name: 'bench' } }],
      sink: outbox, raisesAlarms: true, dataDir: options.dir, analysis: options.size, evidence: null, logger: pino({ level: 'silent' }),
      tracker: { highScore: 0.4, newTrackScore: 0.45 },
      onQueued: (event, frameTimestamp) => {
        const at = Date.parse(event.occurredAt);
        const hitAt = fired.get(at);
        if (hitAt === undefined) return;
        const pairedBare = bare.get(at);
        void receiver.arrival(event.id).then(async (alarm) => {
          template ??= alarm;
          if (pairedBare === undefined) return;
          samples.push({ hitToBytes: alarm.at - hitAt, frameToBytes: alarm.at - frameTimestamp, barePost: await pairedBare });
        });
      },
    });
  });
  try {
    for (const runner of runners) await runner.start();
    await new Promise((r) => setTimeout(r, options.warmupSeconds * 1000));
    measuring = true;
    const started = Date.now();
    while (Date.now() - started < options.seconds * 1000) {
      await new Promise((r) => setTimeout(r, 2_000));
      options.onProgress(samples.length, (Date.now() - started) / 1000);
    }
    measuring = false;
    await new Promise((r) => setTimeout(r, 1_000));
    return [...samples];
  } finally {
    await Promise.all(runners.map((r) => r.stopCapture()));
    await Promise.all(runners.map((r) => r.finish()));
    await outbox.close({ drainTimeoutMs: 2_000 });
    await detector.close();
    await receiver.close();
  }
}
