import type { Knex } from 'knex';
import { pause, type WorkerJob } from '../../worker/job.js';

const EVERY_MS = 15 * 60 * 1000;
const BATCH = 5000;

/** Deletes expired sessions and abandoned pending logins, in bounded batches; returns how many went. */
export async function sweepExpiredLogins(knex: Knex, now: Date = new Date()): Promise<{ sessions: number; logins: number }> {
  const batch = (table: string, keys: string) =>
    knex.raw(`DELETE FROM ${table} WHERE (${keys}) IN (SELECT ${keys} FROM ${table} WHERE expires_at < ? LIMIT ${BATCH})`, [now]);
  let sessions = 0;
  let logins = 0;
  for (;;) {
    const result = (await batch('sessions', 'tenant_id, id')) as { rowCount?: number; affectedRows?: number };
    const count = result.rowCount ?? result.affectedRows ?? 0;
    sessions += count;
    if (count < BATCH) break;
  }
  for (;;) {
    const result = (await batch('oidc_logins', 'state_hash')) as { rowCount?: number; affectedRows?: number };
    const count = result.rowCount ?? result.affectedRows ?? 0;
    logins += count;
    if (count < BATCH) break;
  }
  return { sessions, logins };
}

/** Expired console sessions and pending logins do not pile up: a sweep every 15 minutes (idempotent across workers). */
export const sessionSweeperJob: WorkerJob = {
  name: 'session-sweeper',
  async run({ knex, log, signal }) {
    while (!signal.aborted) {
      try {
        const swept = await sweepExpiredLogins(knex);
        if (swept.sessions + swept.logins > 0) log.info(swept, 'expired sessions and pending logins deleted');
      } catch (error) {
        log.error({ err: error }, 'session sweep failed; retrying later');
      }
      await pause(EVERY_MS, signal);
    }
  },
};
