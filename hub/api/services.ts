import type { DatabaseHandle } from '../../models/index.js';
import type { HubConfig } from '../config/index.js';
import type { HubMetrics } from './metrics.js';

/** What route factories may use beyond the request context. */
export interface HubServices {
  config: HubConfig;
  knex: DatabaseHandle;
  metrics: HubMetrics;
}
