import type { PosSourceHealth } from './source-stats.js';

/** One way POS events reach the plugin (a TCP journal, the HTTP receiver). */
export interface LanePosSource {
  start(): Promise<void>;
  /** Stops receiving and closes every connection; safe to call twice. */
  stop(): Promise<void>;
  health(): PosSourceHealth;
}
