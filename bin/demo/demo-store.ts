import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { startPlugin, type RunningPlugin } from '../../plugin/app.js';
import { startCameraSim, type CameraSim } from '../../plugin/camera-sim/index.js';
import { validatePluginConfig } from '../../plugin/config/index.js';
import { playJournal, SCENE_TRACKER, SyntheticScene, TILL_REGISTER, type TillEntry } from '../../plugin/scenes/index.js';
import type { DemoSite } from './demo-hub.js';

/** The seeds of the two scenes: the checkout plays its first scan avoidance about 40 s in, after a normal transaction. */
export const DEMO_SEEDS = { checkout: 2, aisle: 11 } as const;
const SIZE = { width: 320, height: 240, fps: 10 } as const;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MODEL_DIR = join(ROOT, 'models', 'retail-detector');

export interface DemoStoreOptions {
  dir: string;
  hubUrl: string;
  site: DemoSite;
  /** Posts the lane's finished transactions to the hub, as the POS back office's export does. */
  postTransactions: (transactions: unknown[]) => Promise<void>;
  vmsPort: number;
  /** The journal's TCP port the plugin listens on. */
  journalPort: number;
}

export interface DemoStore {
  plugin: RunningPlugin;
  stop(): Promise<void>;
}

/** A finished transaction of the scene's till in the hub's JSON form of POS transactions (store A001's register). */
export function transactionOf(entries: readonly TillEntry[], originMs: number): Record<string, unknown> {
  const iso = (entry: TillEntry | undefined) => (entry ? new Date(originMs + Math.round(entry.at * 1000)).toISOString() : null);
  const begin = entries.find((e) => e.kind === 'transaction_start');
  const end = entries.find((e) => e.kind === 'transaction_end');
  const sales = entries.filter((e) => e.kind === 'sale');
  return {
    posStoreId: 'A001', workstationId: TILL_REGISTER, sequenceNumber: entries[0]?.sequenceNumber ?? '0',
    businessDay: (iso(begin ?? end) ?? new Date(originMs).toISOString()).slice(0, 10), beginAt: iso(begin), endAt: iso(end), kind: 'sale',
    total: end?.amount ?? null,
    lineItems: [
      ...sales.map((e) => ({ type: 'sale', itemId: e.itemId ?? null, description: e.description ?? null, quantity: 1, amount: e.amount ?? null })),
      ...entries.filter((e) => e.kind === 'tender').map((e) => ({ type: 'tender', amount: e.amount ?? null, tenderType: 'cash' })),
    ],
  };
}

function pluginConfig(o: DemoStoreOptions, checkout: CameraSim, aisle: CameraSim, checkoutScene: SyntheticScene, aisleScene: SyntheticScene) {
  const { site } = o;
  return validatePluginConfig({
    hub: { url: o.hubUrl, token: site.pluginToken },
    dataDir: join(o.dir, 'plugin'),
    model: { path: join(MODEL_DIR, 'retail-detector.onnx'), manifestPath: join(MODEL_DIR, 'manifest.json'), decoder: 'yolov8', workers: 1 },
    analysis: SIZE,
    evidence: { preSeconds: 3, postSeconds: 2, windowSeconds: 30 },
    cameras: [
      { id: site.checkoutCameraId, storeId: site.storeId, laneId: site.laneId, name: 'Checkout 1', analysisUrl: checkout.rtspUrl.sub, zones: [...checkoutScene.zones], vms: { name: 'Checkout 1' } },
      { id: site.aisleCameraId, storeId: site.storeId, name: 'Aisle 5', analysisUrl: aisle.rtspUrl.sub, zones: [...aisleScene.zones], vms: { name: 'Aisle 5' } },
    ],
    pos: {
      sources: [{ type: 'tcp_listen', name: 'lane-1-journal', host: '127.0.0.1', port: o.journalPort, grammar: 'ncr-ej', timeZone: 'UTC' }],
      lanes: [{ workstationId: TILL_REGISTER, laneId: site.laneId }],
    },
    vms: { adapter: 'milestone', host: '127.0.0.1', port: o.vmsPort, eventMessage: 'Vigil alarm' },
    rules: [
      { rule: 'scan_avoidance', cameras: [site.checkoutCameraId], severity: 'high' },
      { rule: 'concealment', cameras: [site.aisleCameraId], severity: 'high' },
    ],
  }, {}, 'demo').config;
}

/** Two simulated cameras playing their scenes, the checkout's till, and the plugin watching both. */
export async function startDemoStore(o: DemoStoreOptions): Promise<DemoStore> {
  const originMs = Date.now();
  const checkoutScene = new SyntheticScene({ scene: 'checkout', seed: DEMO_SEEDS.checkout, ...SIZE, script: 'mixed', startMs: originMs });
  const aisleScene = new SyntheticScene({ scene: 'aisle', seed: DEMO_SEEDS.aisle, ...SIZE, script: 'mixed', startMs: originMs });
  const sim = (scene: 'checkout' | 'aisle', name: string) => startCameraSim({
    discoveryPort: null, name, source: { kind: 'synthetic', scene, seed: DEMO_SEEDS[scene], originMs }, main: SIZE, sub: SIZE,
  });
  const checkout = await sim('checkout', 'Checkout 1 (simulated)');
  const aisle = await sim('aisle', 'Aisle 5 (simulated)');
  const plugin = await startPlugin(pluginConfig(o, checkout, aisle, checkoutScene, aisleScene), {
    logger: pino({ level: process.env.VIGIL_LOG_LEVEL ?? 'warn' }),
    tracker: SCENE_TRACKER,
  });
  const till = playJournal(checkoutScene, originMs, o.journalPort, (entries) => {
    void o.postTransactions([transactionOf(entries, originMs)]).catch(() => undefined);
  });
  return {
    plugin,
    async stop() {
      till.stop();
      await plugin.stop();
      await Promise.all([checkout.stop(), aisle.stop()]);
    },
  };
}
