import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { WAKE_CHANNEL } from './event-types.js';

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
export async function listen(knex: Knex, onWake: () => void, log: Logger): Promise<{ close(): Promise<void> } | null> {
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
