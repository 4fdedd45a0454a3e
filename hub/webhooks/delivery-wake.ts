import type { Knex } from 'knex';
import { WAKE_CHANNEL } from './event-types.js';

// Delivery workers running in this process. On PostgreSQL, workers in other processes hear the NOTIFY;
// on PGlite (one process, no second connection to LISTEN on) this is the only prompt wake-up there is.
const inProcessWorkers = new Set<() => void>();

/** Registers a worker's wake-up; returns its removal. */
export function onDeliveriesQueued(wake: () => void): () => void {
  inProcessWorkers.add(wake);
  return () => inProcessWorkers.delete(wake);
}

function wakeInProcessWorkers(): void {
  for (const wake of inProcessWorkers) wake();
}

function outermost(trx: Knex.Transaction): Knex.Transaction {
  let current = trx;
  while (current.parentTransaction) current = current.parentTransaction;
  return current;
}

/**
 * Tells delivery workers that deliveries were queued: NOTIFY for every process (PostgreSQL delivers it
 * at commit), and the workers of this process once the outermost transaction has committed, so they
 * never look before the rows are visible. Nothing is woken when the transaction rolls back.
 */
export async function notifyDeliveryWorkers(db: Knex | Knex.Transaction): Promise<void> {
  await db.raw(`SELECT ${NOTIFY_SQL}`, NOTIFY_BINDINGS);
  wakeAfterCommit(db);
}

/** The NOTIFY of notifyDeliveryWorkers, for a statement that sends it along with its own work (then call wakeAfterCommit). */
export const NOTIFY_SQL = 'pg_notify(?, ?)';
export const NOTIFY_BINDINGS: [string, string] = [WAKE_CHANNEL, ''];

/** Wakes this process's workers once `db`'s outermost transaction has committed (at once outside a transaction). */
export function wakeAfterCommit(db: Knex | Knex.Transaction): void {
  if (!db.isTransaction) {
    wakeInProcessWorkers();
    return;
  }
  outermost(db as Knex.Transaction).executionPromise.then(wakeInProcessWorkers, () => undefined);
}
