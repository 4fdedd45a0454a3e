/**
 * POS events at the edge: journal lines over TCP (the POS connects to the plugin, or the plugin to the
 * POS) and POSLog / JSON transactions posted to a small HTTP receiver, bound to lanes and moved to the
 * camera clock with each lane's learned clock offset.
 *
 *   const pos = new LanePosHub(posConfigSchema.parse(config.pos));
 *   await pos.start();
 *   pos.observeScannerCrossing(laneId, frameAt);   // from the pipeline, when a product crosses the scanner zone
 *   const events = pos.drain(laneId);              // LanePosEvent[] since the last drain, at = posTime - offset
 *   pos.health();                                  // per source and per lane
 *   await pos.stop();
 */
export { LanePosHub, type LanePosHubOptions, type LanePosListener, type PosHealth } from './lane-pos-hub.js';
export {
  posConfigSchema, posSourceSchema, grammarOf, posConfigWarnings,
  type PosConfig, type PosConfigInput, type PosSourceConfig, type TcpListenSourceConfig, type TcpConnectSourceConfig, type HttpSourceConfig, type OffsetEstimationConfig,
} from './pos-config-schema.js';
export type { LanePosHealth } from './lane-state.js';
export type { PosSourceHealth, PosSourceType } from './source-stats.js';
export type { LanePosSource } from './lane-pos-source.js';
export type { PosEventMeta, PosEventSink } from './pos-event-sink.js';
export { ClockOffsetEstimator, type OffsetEstimate } from './clock-offset-estimator.js';
export { transactionToLaneEvents, posTimeOf, type TransactionEvents } from './transaction-events.js';
export { LineSplitter, type SplitItem } from './line-splitter.js';
export { TcpJournalListener } from './tcp-journal-listener.js';
export { TcpJournalClient } from './tcp-journal-client.js';
export { PosHttpReceiver, type AcceptedUpload } from './pos-http-receiver.js';
