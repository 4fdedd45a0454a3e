import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { startWebhookReceiver, type WebhookReceiver } from '../servers/webhook-receiver.js';
import { until, webhookFixture, type WebhookFixture } from './support.js';

const skip = process.env.DATABASE_URL ? false : 'needs PostgreSQL (DATABASE_URL): two worker processes share one database';
const WORKER = fileURLToPath(new URL('./worker-process.ts', import.meta.url));
// The lease is far longer than any wait below: deliveries a killed worker held can only come back because
// its successor recognises it as dead (its PID is gone), never because the lease ran out.
const OPTIONS = { pollMs: 50, concurrency: 16, claimBatch: 32, requestTimeoutMs: 2000, leaseMs: 600_000, retryScheduleMs: [50, 100, 200, 400, 800, 1600, 3200], jitter: 0 };

let fx: WebhookFixture;
const children = new Set<ChildProcess>();

async function startWorkerProcess(): Promise<ChildProcess> {
  const client = fx.hub.db.knex.client as unknown as { connectionSettings: { connectionString: string } };
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, client.connectionSettings.connectionString, JSON.stringify(OPTIONS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  assert.match(chunk.toString(), /ready/);
  return child;
}

async function stopWorkerProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

before(async () => {
  if (skip) return;
  fx = await webhookFixture();
});
after(async () => {
  for (const child of children) child.kill('SIGKILL');
  if (fx) await fx.stop();
});

async function endpointFor(receiver: WebhookReceiver): Promise<{ id: string }> {
  return fx.createEndpoint({ url: receiver.url, eventTypes: ['incident.created'] });
}

test('two worker processes deliver 5,000 messages to one receiver: every webhook-id arrives, none twice', { skip, timeout: 180_000 }, async () => {
  // Signatures are verified elsewhere (delivery.test.ts); here the receiver only counts webhook-ids.
  const receiver = await startWebhookReceiver();
  const endpoint = await endpointFor(receiver);
  try {
    const ids = await fx.enqueue(5000);
    assert.equal(ids.length, 5000);
    const workers = await Promise.all([startWorkerProcess(), startWorkerProcess()]);
    await receiver.waitFor(5000, 150_000);
    // Every delivery recorded as succeeded: no claim is left that could send a message a second time.
    await until(async () => {
      const { rows } = await fx.hub.db.knex.raw<{ rows: Array<{ n: number }> }>("SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = ? AND status <> 'succeeded'", [endpoint.id]);
      return rows[0]?.n === 0;
    }, 60_000);
    await Promise.all(workers.map(stopWorkerProcess));
    const seen = receiver.received.map((d) => d.webhookId);
    assert.equal(seen.length, 5000, 'no message arrived twice');
    assert.deepEqual(new Set(seen), new Set(ids));
    const { rows } = await fx.hub.db.knex.raw<{ rows: Array<{ status: string; n: number }> }>(
      'SELECT status, count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = ? GROUP BY status', [endpoint.id]);
    assert.deepEqual(rows, [{ status: 'succeeded', n: 5000 }]);
  } finally {
    await fx.hub.admin.patch(`/v1/webhooks/${endpoint.id}`, { enabled: false });
    await receiver.close();
  }
});

test('kill -9 of a worker during 2,000 deliveries, then a restart: every message arrives, repeats only under the same webhook-id', { skip, timeout: 180_000 }, async () => {
  // A receiver that takes 20 ms per answer keeps the run long enough for the kill to land mid-way.
  const receiver = await startWebhookReceiver({ reply: () => ({ delayMs: 20 }) });
  const endpoint = await endpointFor(receiver);
  try {
    const ids = await fx.enqueue(2000);
    const first = await startWorkerProcess();
    await until(async () => receiver.received.length >= 400, 60_000, 5);
    first.kill('SIGKILL');
    await once(first, 'exit');
    const atKill = receiver.received.length;
    assert.ok(atKill < 2000, `the kill landed mid-run (${atKill} delivered)`);
    // What the killed worker held: attempts started and not recorded, whether their request was still out or
    // its answer was waiting for the group commit. Only these may be interrupted, and only these may repeat.
    const { rows: held } = await fx.hub.db.knex.raw<{ rows: Array<{ n: number }> }>(
      "SELECT count(*)::int AS n FROM webhook_attempts WHERE endpoint_id = ? AND outcome = 'sending'", [endpoint.id]);
    const heldAtKill = held[0]?.n ?? 0;
    const second = await startWorkerProcess();
    // Deliveries the killed worker had in flight come back as soon as the new worker sees its PID is gone.
    await until(async () => {
      const { rows } = await fx.hub.db.knex.raw<{ rows: Array<{ n: number }> }>(
        "SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = ? AND status = 'succeeded'", [endpoint.id]);
      return rows[0]?.n === 2000;
    }, 60_000, 100);
    await stopWorkerProcess(second);
    const { rows: outcomes } = await fx.hub.db.knex.raw<{ rows: Array<{ outcome: string; n: number }> }>(
      'SELECT outcome, count(*)::int AS n FROM webhook_attempts WHERE endpoint_id = ? GROUP BY outcome ORDER BY outcome', [endpoint.id]);
    const byOutcome = new Map(outcomes.map((r) => [r.outcome, r.n]));
    assert.equal(byOutcome.get('succeeded'), 2000, 'one successful attempt per delivery');
    assert.equal(byOutcome.get('sending'), undefined, 'no attempt is left as sending');
    assert.ok((byOutcome.get('interrupted') ?? 0) <= heldAtKill, `only the killed worker's unrecorded attempts were interrupted (${heldAtKill} held)`);
    const unique = new Set(receiver.received.map((d) => d.webhookId));
    assert.deepEqual(unique, new Set(ids), 'every message arrived');
    const repeats = receiver.received.length - unique.size;
    assert.ok(repeats <= heldAtKill, `only deliveries the killed worker held may repeat (${repeats} of ${heldAtKill})`);
  } finally {
    await fx.hub.admin.patch(`/v1/webhooks/${endpoint.id}`, { enabled: false });
    await receiver.close();
  }
});
