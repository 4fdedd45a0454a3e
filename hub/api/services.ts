import type { DatabaseHandle } from '../../models/index.js';
import type { HubConfig } from '../config/index.js';
import type { RuleCatalog } from '../commands/store-rules-editor.js';
import type { HubMetrics } from './metrics.js';

/** What route factories may use beyond the request context. */
export interface HubServices {
  config: HubConfig;
  knex: DatabaseHandle;
  metrics: HubMetrics;
  /** The rule types whose settings store rule documents are checked against. */
  ruleCatalog: RuleCatalog;
}
