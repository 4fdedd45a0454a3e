import type { Knex } from 'knex';
import type { HubConfig } from '../config/index.js';
import type { HubMetrics } from './metrics.js';

/** What route factories may use beyond the request context. */
export interface HubServices {
  config: HubConfig;
  knex: Knex;
  metrics: HubMetrics;
}
