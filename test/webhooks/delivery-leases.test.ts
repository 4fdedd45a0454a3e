import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { deliveryOptions, type DeliveryOptionsInput } from '../../hub/webhooks/index.js';
import { AttemptWriter } from '../../hub/webhooks/attempt-writer.js';
import { processDelivery, type ProcessorDeps } from '../../hub/webhooks/delivery-processor.js';
import { claimDue, type ClaimedDelivery } from '../../hub/webhooks/delivery-store.js';
import { OperatorCeiling } from '../../hub/webhooks/operator-ceiling.js';
import { RateLimiter } from '../../hub/webhooks/rate-limiter.js';
import { localHostKey, registerWorker, type WorkerIdentity } from '../../hub/webhooks/worker-registry.js';
import { startWebhookReceiver, type ReceiverOptions, type WebhookReceiver } from '../servers/webhook-receiver.js';
import { databaseLabel } from '../support/database.js';
import { FAST, LOOPBACK_CEILING, silentLog, testSecrets, until, webhookFixture, type WebhookFixture } from './support.js';

const db = databaseLabel();
let fx: WebhookFixture;
before(async () => {
  fx = await webhookFixture();
});
after(async () => fx.stop());

interface AttemptRow { delivery_id: string; attempt: number; outcome: string; status_code: number | null }

async function withReceiver(reply?: ReceiverOptions['reply']): Promise<{ receiver: WebhookReceiver; endpointId: string; close(): Promise<void> }> {
  let secrets: string[] = [];
  const receiver = await startWebhookReceiver({ secrets: () => secrets, ...(reply ? { reply } : {}) });
  const endpoint = await fx.createEndpoint({ url: receiver.url, eventTypes: ['incident.created'] });
  secrets = [endpoint.secret];
  return {
    receiver, endpointId: endpoint.id,
    async close() {
      await fx.hub.admin.patch(`/v1/webhooks/${endpoint.id}`, { enabled: false });
      await receiver.close();
    },
  };
}

const attemptsOf = async (endpointId: string): Promise<AttemptRow[]> =>
  (await fx.hub.db.knex('webhook_attempts').where({ endpoint_id: endpointId }).orderBy(['delivery_id', 'attempt', 'id'])
    .select('delivery_id', 'attempt', 'outcome', 'status_code')) as AttemptRow[];

const deliveriesOf = async (endpointId: string): Promise<Array<{ id: string; status: string; attempt_count: number; lease_owner: string | null }>> =>
  (await fx.hub.db.knex('webhook_deliveries').where({ endpoint_id: endpointId }).orderBy('id').select('id', 'status', 'attempt_count', 'lease_owner')) as Array<{ id: string; status: string; attempt_count: number; lease_owner: string | null }>;

const allSettled = async (endpointId: string) => until(async () => (await deliveriesOf(endpointId)).every((d) => d.status !== 'pending'));

/** The PID of a process that has exited: a worker registered under it is dead to any worker on this host. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  assert.ok(child.pid);
  return child.pid;
}

/** A worker that claimed and then died without a word: its row is in webhook_workers, its claims in the queue. */
async function crashedWorkerClaims(limit: number, options: { leaseMs: number; pid?: number }): Promise<{ worker: WorkerIdentity; claimed: ClaimedDelivery[] }> {
  const worker: WorkerIdentity = { id: `wkr_crashed_${Math.random().toString(36).slice(2)}`, hostKey: localHostKey(), pid: options.pid ?? (await deadPid()) };
  await registerWorker(fx.hub.db.knex, worker);
  const claimed = await claimDue(fx.hub.db.knex, { limit, leaseMs: options.leaseMs, owner: worker.id }, testSecrets());
  return { worker, claimed };
}

test(`[${db}] a receiver that answers after most of a short lease gets each message exactly once`, async () => {
  // 10 messages, 2 sending slots per worker, each answer takes 30 % of the lease: a worker that claimed ahead of its
  // slots (the old 128-deep buffer) queued 5 rounds of answers (9 s) behind a 6 s lease and sent the last ones
  // twice. The lease leaves seconds to record each outcome, so a loaded CI machine does not look like a crash.
  const { receiver, endpointId, close } = await withReceiver(() => ({ delayMs: 1800 }));
  const options: DeliveryOptionsInput = { ...FAST, leaseMs: 6000, requestTimeoutMs: 2400, concurrency: 2, claimBatch: 128 };
  try {
    const ids = await fx.enqueue(10);
    const workers = [fx.startWorker(options), fx.startWorker(options)];
    await receiver.waitFor(10);
    await allSettled(endpointId);
    await Promise.all(workers.map((w) => w.stop()));
    assert.deepEqual(receiver.received.map((d) => d.webhookId).sort(), [...ids].sort(), 'every message once, none twice');
    assert.ok(receiver.received.every((d) => d.isVerified));
    const attempts = await attemptsOf(endpointId);
    assert.deepEqual(attempts.map((a) => `${a.attempt} ${a.outcome} ${a.status_code}`), Array(10).fill('1 succeeded 204'));
  } finally {
    await close();
  }
});

test(`[${db}] the attempt is logged as sending before its request leaves, then completed with its outcome`, async () => {
  // The first request is held until the sender's timeout; the retry is answered.
  const { receiver, endpointId, close } = await withReceiver((_d, i) => (i === 0 ? { hang: true } : { status: 204 }));
  try {
    const worker = fx.startWorker({ ...FAST, requestTimeoutMs: 1500, leaseMs: 3000 });
    await fx.enqueue(1);
    await receiver.waitFor(1);
    const whileAtReceiver = await attemptsOf(endpointId);
    assert.deepEqual(whileAtReceiver.map((a) => `${a.attempt} ${a.outcome} ${a.status_code}`), ['1 sending null'], 'logged while the request is at the receiver');
    await receiver.waitFor(2);
    await allSettled(endpointId);
    await worker.stop();
    const attempts = await attemptsOf(endpointId);
    assert.deepEqual(attempts.map((a) => `${a.attempt} ${a.outcome} ${a.status_code}`), ['1 retry null', '2 succeeded 204']);
  } finally {
    await close();
  }
});

test(`[${db}] a stale claim is never sent: its lease ran out and another worker holds the delivery`, async () => {
  const { receiver, endpointId, close } = await withReceiver();
  try {
    await fx.enqueue(1);
    // A live worker (this process) that claims with a short lease and then stalls past it.
    const { claimed: [stale] } = await crashedWorkerClaims(1, { leaseMs: 300, pid: process.pid });
    assert.ok(stale);
    await until(async () => (await fx.hub.db.knex.raw<{ rows: Array<{ expired: boolean }> }>('SELECT lease_expires_at <= now() AS expired FROM webhook_deliveries WHERE id = ?', [stale.id])).rows[0]?.expired);
    const worker = fx.startWorker({ ...FAST, workerDeadAfterMs: 600_000 });
    await receiver.waitFor(1);
    await allSettled(endpointId);
    await worker.stop();
    // The stalled worker now gets round to its claim.
    const options = deliveryOptions({ ...FAST });
    const deps: ProcessorDeps = {
      knex: fx.hub.db.knex, log: silentLog, options, limiter: new RateLimiter(), writer: new AttemptWriter(fx.hub.db.knex), baseUrl: null,
      ceiling: new OperatorCeiling(LOOPBACK_CEILING),
    };
    await processDelivery(stale, deps);
    assert.equal(receiver.received.length, 1, 'the stale claim sent nothing');
    assert.deepEqual((await deliveriesOf(endpointId)).map((d) => `${d.status} ${d.attempt_count} ${d.lease_owner}`), ['succeeded 1 null']);
    assert.deepEqual((await attemptsOf(endpointId)).map((a) => `${a.attempt} ${a.outcome}`), ['1 succeeded'], 'the stale claim left no attempt behind');
  } finally {
    await close();
  }
});

test(`[${db}] the claims of a worker that died are given back at once: each message arrives, the attempt count is not advanced`, async () => {
  const { receiver, endpointId, close } = await withReceiver();
  try {
    const ids = await fx.enqueue(5);
    // A lease far longer than the test's patience: only recognising the dead worker can bring them back.
    const { worker: dead, claimed } = await crashedWorkerClaims(5, { leaseMs: 600_000 });
    assert.equal(claimed.length, 5);
    const worker = fx.startWorker({ ...FAST, leaseMs: 600_000 });
    await receiver.waitFor(5);
    await allSettled(endpointId);
    await worker.stop();
    assert.deepEqual(receiver.received.map((d) => d.webhookId).sort(), [...ids].sort());
    assert.deepEqual((await deliveriesOf(endpointId)).map((d) => `${d.status} ${d.attempt_count}`), Array(5).fill('succeeded 1'));
    const attempts = await attemptsOf(endpointId);
    assert.deepEqual(attempts.map((a) => `${a.attempt} ${a.outcome}`).sort(), [...Array(5).fill('1 interrupted'), ...Array(5).fill('1 succeeded')].sort());
    assert.equal(await fx.hub.db.knex('webhook_workers').where({ id: dead.id }).first(), undefined, 'the dead worker is forgotten');
  } finally {
    await close();
  }
});

test(`[${db}] after a dead worker's claim comes back, the retry schedule goes on from the step it was at`, async () => {
  const { receiver, endpointId, close } = await withReceiver((_d, i) => (i < 2 ? { status: 500 } : { status: 204 }));
  try {
    await fx.enqueue(1);
    await crashedWorkerClaims(1, { leaseMs: 600_000 });
    const worker = fx.startWorker({ ...FAST, retryScheduleMs: [5, 10, 15], leaseMs: 600_000 });
    await receiver.waitFor(3);
    await allSettled(endpointId);
    await worker.stop();
    assert.equal(receiver.received.length, 3);
    assert.deepEqual((await attemptsOf(endpointId)).map((a) => `${a.attempt} ${a.outcome}`), ['1 interrupted', '1 retry', '2 retry', '3 succeeded']);
    assert.deepEqual((await deliveriesOf(endpointId)).map((d) => `${d.status} ${d.attempt_count}`), ['succeeded 3']);
  } finally {
    await close();
  }
});

test(`[${db}] an enqueue wakes the worker of this process at commit, not at its next poll`, async () => {
  const { receiver, close } = await withReceiver();
  try {
    // A poll far longer than the receiver's wait: only the wake-up at commit can deliver in time.
    const worker = fx.startWorker({ ...FAST, pollMs: 60_000 });
    await fx.raiseIncident();
    await receiver.waitFor(1, 20_000);
    await worker.stop();
  } finally {
    await close();
  }
});
