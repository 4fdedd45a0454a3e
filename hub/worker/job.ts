import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { HubConfig } from '../config/index.js';

export interface JobContext {
  knex: Knex;
  log: Logger;
  config: HubConfig;
  /** Aborted when the worker stops: a job finishes its current unit of work and returns. */
  signal: AbortSignal;
}

/**
 * A background job of the hub worker (webhook delivery, retention purge, partition upkeep…). `run`
 * keeps going until the signal aborts. Several worker processes may run the same job at once, so jobs
 * claim work with `FOR UPDATE SKIP LOCKED` or are idempotent.
 */
export interface WorkerJob {
  readonly name: string;
  run(ctx: JobContext): Promise<void>;
}

/** Sleeps `ms` or until the signal aborts, whichever comes first. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
