import { checkpointTargets } from '../audit/index.js';
import type { HubConfig } from '../config/index.js';
import type { ExportDeps } from './exporter.js';
import { evidenceStoreFor } from './storage.js';

/** What an export needs from the configuration: the evidence store and the audit checkpoint stores. */
export function exportDepsFor(config: HubConfig): ExportDeps {
  return { store: evidenceStoreFor(config), checkpointStores: checkpointTargets(config.audit, config.dataDir).stores };
}
