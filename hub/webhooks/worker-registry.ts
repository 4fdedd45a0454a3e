import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Knex } from 'knex';
import { z } from 'zod';
import { isProcessAlive } from '../../contracts/index.js';

/** Who holds a lease: one id per running worker, and where it runs (so a peer on the same host can check its PID). */
export interface WorkerIdentity {
  id: string;
  /** Host name and PID namespace; null where the namespace cannot be read (then only heartbeats tell). */
  hostKey: string | null;
  pid: number;
}

function pidNamespace(): string | null {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return null;
  }
}

/** Processes in one PID namespace of one host see each other's PIDs; elsewhere a PID means nothing. */
export function localHostKey(): string | null {
  const namespace = pidNamespace();
  return namespace === null ? null : `${hostname()}/${namespace}`;
}

export function newWorkerIdentity(): WorkerIdentity {
  return { id: `wkr_${process.pid}_${randomBytes(6).toString('hex')}`, hostKey: localHostKey(), pid: process.pid };
}

const workerRowSchema = z.object({ id: z.string(), host_key: z.string().nullable(), pid: z.number(), is_silent: z.boolean() });

export async function registerWorker(knex: Knex, worker: WorkerIdentity): Promise<void> {
  await knex.raw(
    `INSERT INTO webhook_workers (id, host_key, pid, started_at, heartbeat_at) VALUES (?, ?, ?, clock_timestamp(), clock_timestamp())
     ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at`,
    [worker.id, worker.hostKey, worker.pid],
  );
}

/** Marks the worker alive; re-registers it when a peer had given it up for dead (its claims are gone then). */
export async function heartbeat(knex: Knex, worker: WorkerIdentity): Promise<void> {
  const { rows } = await knex.raw<{ rows: unknown[] }>('UPDATE webhook_workers SET heartbeat_at = clock_timestamp() WHERE id = ? RETURNING id', [worker.id]);
  if (rows.length === 0) await registerWorker(knex, worker);
}

export async function deregisterWorker(knex: Knex, worker: WorkerIdentity): Promise<void> {
  await knex.raw('DELETE FROM webhook_workers WHERE id = ?', [worker.id]);
}

/**
 * Peers that are dead: silent for longer than `deadAfterMs`, or on this host with no process under their
 * PID (a kill -9 is recognised as soon as a worker on the same host looks, without waiting).
 */
export async function findDeadWorkers(knex: Knex, self: WorkerIdentity, deadAfterMs: number): Promise<string[]> {
  const { rows } = await knex.raw<{ rows: unknown[] }>(
    'SELECT id, host_key, pid, heartbeat_at < clock_timestamp() - make_interval(secs => ?) AS is_silent FROM webhook_workers WHERE id <> ?',
    [deadAfterMs / 1000, self.id],
  );
  return z.array(workerRowSchema).parse(rows)
    .filter((w) => w.is_silent || (self.hostKey !== null && w.host_key === self.hostKey && w.pid !== self.pid && !isProcessAlive(w.pid)))
    .map((w) => w.id);
}

/**
 * Gives back the claims of dead workers: each delivery is due again at once with its attempt count
 * unchanged (the interrupted attempt does not use up a step of the retry schedule), and the attempt they
 * had started is marked `interrupted` in the log (it may or may not have reached the receiver).
 * Returns how many deliveries were given back.
 */
export async function recoverDeadClaims(knex: Knex, deadWorkerIds: readonly string[]): Promise<number> {
  if (deadWorkerIds.length === 0) return 0;
  const { rows } = await knex.raw<{ rows: Array<{ n: number }> }>(
    `WITH gone AS (
       DELETE FROM webhook_workers WHERE id = ANY(?::text[]) RETURNING id
     ), held AS (
       SELECT tenant_id, id, lease_attempt_id, lease_started_at FROM webhook_deliveries
        WHERE status = 'pending' AND lease_owner = ANY(?::text[]) FOR UPDATE
     ), freed AS (
       UPDATE webhook_deliveries d
          SET lease_owner = NULL, lease_expires_at = NULL, lease_attempt_id = NULL, lease_started_at = NULL, updated_at = clock_timestamp()
         FROM held WHERE d.tenant_id = held.tenant_id AND d.id = held.id
       RETURNING d.id
     ), marked AS (
       UPDATE webhook_attempts a SET outcome = 'interrupted', error = 'the worker died before the outcome was recorded'
         FROM held WHERE a.tenant_id = held.tenant_id AND a.id = held.lease_attempt_id AND a.occurred_at = held.lease_started_at AND a.outcome = 'sending'
     )
     SELECT (SELECT count(*) FROM freed)::int AS n, (SELECT count(*) FROM gone)::int AS workers`,
    [[...deadWorkerIds], [...deadWorkerIds]],
  );
  return rows[0]?.n ?? 0;
}
