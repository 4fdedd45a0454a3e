import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { deliveryOptions, type DeliveryOptionsInput } from './delivery-options.js';
import { processDelivery, type ProcessorDeps } from './delivery-processor.js';
import { AttemptWriter } from './attempt-writer.js';
import { claimDue, releaseClaim, type ClaimedDelivery } from './delivery-store.js';
import { sweepEscalations } from './escalation-sweeper.js';
import { WAKE_CHANNEL } from './event-types.js';
import { OperatorCeiling } from './operator-ceiling.js';
import { RateLimiter } from './rate-limiter.js';
import type { SecretBox } from './secret-box.js';

export interface DeliveryWorker {
  /** Wakes the claim loop now (in-process enqueue on PGlite). */
  wake(): void;
  stop(): Promise<void>;
}

export interface DeliveryWorkerDeps {
  knex: Knex;
  log: Logger;
  options?: DeliveryOptionsInput;
  /** Absolute base for the links in payloads (the hub's public URL). */
  baseUrl?: string | null;
  /** The operator ceiling on tenant allow-lists (config webhooks.allowedPrivateRanges). */
  allowedPrivateRanges: readonly string[];
  /** Opens the endpoints' sealed secrets, header values and credentials. */
  secrets: SecretBox;
}

interface PgConnection {
  query(sql: string): Promise<unknown>;
  on(event: 'notification' | 'error', listener: (...args: unknown[]) => void): void;
  removeAllListeners(event?: string): void;
}

interface KnexClientInternals {
  config: { client?: unknown };
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<void>;
}

/** LISTEN on a connection held from the pool (PostgreSQL only); null when the database cannot notify. */
async function listen(knex: Knex, onWake: () => void, log: Logger): Promise<{ close(): Promise<void> } | null> {
  // knex types its client as any; these are the two pool calls LISTEN needs.
  const client: KnexClientInternals = knex.client;
  if (client.config.client !== 'pg') return null;
  const connection = await client.acquireConnection();
  connection.on('notification', () => onWake());
  connection.on('error', (error) => log.warn({ err: error }, 'LISTEN connection failed; polling only'));
  await connection.query(`LISTEN ${WAKE_CHANNEL}`);
  return {
    async close() {
      try {
        await connection.query(`UNLISTEN ${WAKE_CHANNEL}`);
      } catch (error) {
        log.debug({ err: error }, 'UNLISTEN failed on a broken connection');
      }
      connection.removeAllListeners('notification');
      await client.releaseConnection(connection);
    },
  };
}

/**
 * The delivery loop of one worker process: claims due deliveries (SKIP LOCKED) whenever it has room,
 * woken by NOTIFY at commit, by a finished delivery when the queue had more, or by the poll timer.
 * Stop lets in-flight deliveries finish (their requests are bounded by the request timeout).
 */
export function startDeliveryWorker(deps: DeliveryWorkerDeps): DeliveryWorker {
  const options = deliveryOptions(deps.options ?? {});
  const processor: ProcessorDeps = {
    knex: deps.knex, log: deps.log, options, limiter: new RateLimiter(), writer: new AttemptWriter(deps.knex), baseUrl: deps.baseUrl ?? null,
    ceiling: new OperatorCeiling(deps.allowedPrivateRanges),
  };
  const inflight = new Set<Promise<void>>();
  // Claimed deliveries wait here for a free sending slot; the claim loop tops it up in batches, so one
  // claim query serves many deliveries instead of one query per freed slot.
  const buffer: ClaimedDelivery[] = [];
  let stopped = false;
  let dirty = true;
  let lastFull = false;
  let wakeUp: (() => void) | null = null;
  const kick = () => wakeUp?.();
  const wake = () => {
    dirty = true;
    kick();
  };
  const sleep = (ms: number) => new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => { wakeUp = null; resolve(true); }, ms);
    wakeUp = () => { clearTimeout(timer); wakeUp = null; resolve(false); };
  });
  // Refill before the buffer runs dry, so the next claim overlaps the sends still queued.
  const isLow = () => buffer.length < Math.max(options.concurrency, options.claimBatch / 2);

  let sending = 0;
  const pump = () => {
    while (sending < options.concurrency && buffer.length > 0) {
      const d = buffer.shift() as ClaimedDelivery;
      sending += 1;
      let isSent = false;
      const sent = () => {
        if (isSent) return;
        isSent = true;
        sending -= 1;
        if (!stopped) pump();
        if (isLow() && (lastFull || dirty)) kick();
      };
      const task = processDelivery(d, processor, sent)
        .catch((error: unknown) => deps.log.error({ err: error, deliveryId: d.id }, 'delivery failed unexpectedly; its lease will expire and it is retried'))
        .finally(() => {
          sent();
          inflight.delete(task);
        });
      inflight.add(task);
    }
  };

  const loop = async () => {
    const listener = await listen(deps.knex, wake, deps.log).catch((error: unknown) => {
      deps.log.warn({ err: error }, 'cannot LISTEN; polling only');
      return null;
    });
    let lastSweep = 0;
    while (!stopped) {
      if (isLow() && (dirty || lastFull)) {
        dirty = false;
        try {
          const claimed = await claimDue(deps.knex, options.claimBatch, options.leaseMs, deps.secrets);
          lastFull = claimed.length === options.claimBatch;
          buffer.push(...claimed);
          pump();
        } catch (error) {
          lastFull = false;
          deps.log.error({ err: error }, 'claiming deliveries failed; retrying after the poll interval');
        }
        if (lastFull && isLow()) continue;
      }
      if (Date.now() - lastSweep >= Math.max(options.pollMs, 1000)) {
        lastSweep = Date.now();
        await sweepEscalations(deps.knex).catch((error: unknown) => deps.log.error({ err: error }, 'escalation sweep failed'));
      }
      if (stopped) break;
      if (await sleep(options.pollMs)) dirty = true;
    }
    // Claimed but never started: give them back at once instead of waiting out the lease.
    await Promise.allSettled(buffer.splice(0).map((d) => releaseClaim(deps.knex, d, new Date())));
    await Promise.allSettled([...inflight]);
    await listener?.close();
  };
  const running = loop();
  return {
    wake,
    async stop() {
      stopped = true;
      kick();
      await running;
    },
  };
}
