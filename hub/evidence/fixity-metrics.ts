import type { Knex } from 'knex';
import { Gauge, type Registry } from 'prom-client';
import { fixityStatus } from './fixity-round.js';

/**
 * The latest fixity round as Prometheus gauges, read from the database at scrape time (the round may have
 * run in another worker process). Hub-wide figures only: /metrics is unauthenticated.
 */
export function registerFixityMetrics(registry: Registry, knex: Knex): void {
  const read = () => fixityStatus(knex);
  new Gauge({
    name: 'vigil_evidence_fixity_last_run_timestamp_seconds', help: 'When the latest evidence fixity round finished (0: never)', registers: [registry],
    async collect() {
      const status = await read();
      this.set(status.lastRunAt ? Date.parse(status.lastRunAt) / 1000 : 0);
    },
  });
  new Gauge({
    name: 'vigil_evidence_fixity_last_run_checked', help: 'Evidence items re-read against their acquisition hash in the latest round', registers: [registry],
    async collect() {
      this.set((await read()).lastRunChecked);
    },
  });
  new Gauge({
    name: 'vigil_evidence_fixity_last_run_failed', help: 'Evidence items whose stored bytes no longer match their acquisition hash (latest round)', registers: [registry],
    async collect() {
      this.set((await read()).lastRunFailed);
    },
  });
}
