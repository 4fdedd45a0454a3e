import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { deliveryOptions, type DeliveryOptions, type DeliveryOptionsInput } from './delivery-options.js';
import { listen } from './delivery-listener.js';
import { processDelivery, type ProcessorDeps } from './delivery-processor.js';
import { AttemptWriter } from './attempt-writer.js';
import { claimDue, type ClaimedDelivery } from './delivery-store.js';
import { onDeliveriesQueued } from './delivery-wake.js';
import { sweepEscalations } from './escalation-sweeper.js';
import { OperatorCeiling } from './operator-ceiling.js';
import { RateLimiter } from './rate-limiter.js';
import type { SecretBox } from './secret-box.js';
import {
  deregisterWorker, findDeadWorkers, heartbeat, newWorkerIdentity, recoverDeadClaims, registerWorker, type WorkerIdentity,
} from './worker-registry.js';

export interface DeliveryWorker {
  /** This worker's id in webhook_workers (the lease owner of its claims). */
  readonly id: string;
  /** Wakes the claim loop now (deliveries queued in this process; called after their commit). */
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

/**
 * Keeps the worker's row in webhook_workers alive and gives back the claims of dead peers (and, at
 * start, of a dead predecessor on this host), so their deliveries do not wait out the lease.
 */
function startLiveness(knex: Knex, log: Logger, identity: WorkerIdentity, options: DeliveryOptions, onRecovered: () => void): { stop(): Promise<void> } {
  let beating: Promise<void> = Promise.resolve();
  const recover = async () => {
    const given = await recoverDeadClaims(knex, await findDeadWorkers(knex, identity, options.workerDeadAfterMs));
    if (given > 0) {
      log.warn({ deliveries: given }, 'gave back the claims of dead delivery workers');
      onRecovered();
    }
  };
  const beat = () => {
    beating = beating.then(async () => {
      await heartbeat(knex, identity);
      await recover();
    }).catch((error: unknown) => log.warn({ err: error }, 'worker heartbeat failed'));
  };
  const timer = setInterval(beat, options.heartbeatMs);
  return {
    async stop() {
      clearInterval(timer);
      await beating;
    },
  };
}

const MAX_OVERLAPPING_CLAIMS = 2;

/**
 * The delivery loop of one worker process: claims due deliveries (SKIP LOCKED) into free sending slots,
 * never more, so every claim is sent at once under a fresh lease. It claims when woken by NOTIFY at
 * commit, by an in-process enqueue after its commit, by a finished delivery while the queue has more, or
 * by the poll timer. Stop lets in-flight deliveries finish (their requests are bounded by the request timeout).
 */
export function startDeliveryWorker(deps: DeliveryWorkerDeps): DeliveryWorker {
  const options = deliveryOptions(deps.options ?? {});
  const identity = newWorkerIdentity();
  const log = deps.log.child({ worker: identity.id });
  const processor: ProcessorDeps = {
    knex: deps.knex, log, options, limiter: new RateLimiter(), writer: new AttemptWriter(deps.knex), baseUrl: deps.baseUrl ?? null,
    ceiling: new OperatorCeiling(deps.allowedPrivateRanges),
  };
  const inflight = new Set<Promise<void>>();
  const claims = new Set<Promise<void>>();
  // While a backlog drains, wait for a few free slots so one claim query serves several sends; two claim
  // queries may overlap, each for the slots free when it was asked (never more), so sending does not stall
  // on one claim's round trip.
  const minClaim = Math.min(options.claimBatch, Math.max(1, Math.floor(options.concurrency / 4)));
  let stopped = false;
  let dirty = true;
  let moreDue = false;
  let sending = 0;
  let reserved = 0;
  let wakeUp: (() => void) | null = null;
  const sleep = (ms: number) => new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => { wakeUp = null; resolve(true); }, ms);
    wakeUp = () => { clearTimeout(timer); wakeUp = null; resolve(false); };
  });
  const freeSlots = () => options.concurrency - sending - reserved;
  const shouldClaim = () => !stopped && claims.size < MAX_OVERLAPPING_CLAIMS && freeSlots() > 0 && (dirty || (moreDue && freeSlots() >= minClaim));

  const send = (d: ClaimedDelivery) => {
    sending += 1;
    let isSent = false;
    const sent = () => {
      if (isSent) return;
      isSent = true;
      sending -= 1;
      pump();
    };
    const task = processDelivery(d, processor, sent)
      .catch((error: unknown) => log.error({ err: error, deliveryId: d.id }, 'delivery failed unexpectedly; its lease will expire and it is retried'))
      .finally(() => {
        sent();
        inflight.delete(task);
      });
    inflight.add(task);
  };

  const claim = async (limit: number) => {
    let claimed: ClaimedDelivery[] = [];
    try {
      claimed = await claimDue(deps.knex, { limit, leaseMs: options.leaseMs, owner: identity.id }, deps.secrets);
      moreDue = claimed.length === limit;
    } catch (error) {
      moreDue = false;
      log.error({ err: error }, 'claiming deliveries failed; retrying after the poll interval');
    }
    reserved -= limit;
    for (const d of claimed) send(d);
  };

  function pump(): void {
    while (shouldClaim()) {
      dirty = false;
      const limit = Math.min(freeSlots(), options.claimBatch);
      reserved += limit;
      const task = claim(limit).finally(() => {
        claims.delete(task);
        pump();
      });
      claims.add(task);
    }
  }
  const wake = () => {
    dirty = true;
    pump();
  };

  const loop = async () => {
    await registerWorker(deps.knex, identity).catch((error: unknown) => log.error({ err: error }, 'cannot register the worker; the heartbeat retries'));
    // A predecessor killed on this host left claims: they come back before the first claim.
    await recoverDeadClaims(deps.knex, await findDeadWorkers(deps.knex, identity, options.workerDeadAfterMs))
      .catch((error: unknown) => { log.error({ err: error }, 'recovering dead claims failed; the heartbeat retries'); return 0; });
    const liveness = startLiveness(deps.knex, log, identity, options, wake);
    const unsubscribe = onDeliveriesQueued(wake);
    const listener = await listen(deps.knex, wake, log).catch((error: unknown) => {
      log.warn({ err: error }, 'cannot LISTEN; polling only');
      return null;
    });
    let lastSweep = 0;
    while (!stopped) {
      if (Date.now() - lastSweep >= Math.max(options.pollMs, 1000)) {
        lastSweep = Date.now();
        await sweepEscalations(deps.knex).catch((error: unknown) => log.error({ err: error }, 'escalation sweep failed'));
      }
      pump();
      if (stopped) break;
      if (await sleep(options.pollMs)) wake();
    }
    unsubscribe();
    await Promise.allSettled([...claims]);
    await Promise.allSettled([...inflight]);
    await liveness.stop();
    await deregisterWorker(deps.knex, identity).catch((error: unknown) => log.warn({ err: error }, 'cannot deregister the worker; peers will take it for dead'));
    await listener?.close();
  };
  const running = loop();
  return {
    id: identity.id,
    wake,
    async stop() {
      stopped = true;
      wakeUp?.();
      await running;
    },
  };
}
