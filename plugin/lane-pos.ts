import type { Logger } from 'pino';
import { LanePosHub, posConfigWarnings, type PosConfig, type PosHealth } from './pos/index.js';
import { PosFanout, type CameraPosFeed, type ResolvedCamera } from './pipeline/index.js';

/** The plugin's POS side as the cameras see it: a feed per camera, health, stop. */
export interface LanePos {
  feedFor(camera: ResolvedCamera): CameraPosFeed;
  health(): PosHealth;
  stop(): Promise<void>;
}

/**
 * Starts the configured POS sources (journals over TCP, the HTTP receiver) and hands every lane event to the
 * cameras that reason about it: the cameras of its lane, and exit cameras for every lane (push-outs are judged
 * against the whole store). Scanner crossings the cameras report refine each lane's clock offset.
 */
export async function startLanePos(config: PosConfig, logger: Logger): Promise<LanePos> {
  const hub = new LanePosHub(config);
  for (const warning of posConfigWarnings(config)) logger.warn({ component: 'pos' }, warning);
  await hub.start();
  const fanout = new PosFanout(hub);
  // The cameras read through the fan-out; the hub's own drain queues are emptied as events pass.
  const unsubscribe = hub.subscribe((event) => {
    fanout.publish(event);
    hub.drain(event.laneId);
  });
  logger.info({ component: 'pos', sources: config.sources.length, lanes: config.lanes.length }, 'POS sources started');
  return {
    feedFor: (camera) => fanout.feedFor({ laneId: camera.laneId, isStoreWide: camera.zones.some((zone) => zone.type === 'exit') }),
    health: () => hub.health(),
    stop: async () => {
      unsubscribe();
      await hub.stop();
    },
  };
}
