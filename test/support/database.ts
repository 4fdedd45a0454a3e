import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectDatabase, type Database } from '../../hub/db/index.js';

/**
 * A fresh, empty database for one test: in-memory PGlite by default, or a new PostgreSQL database
 * created beside DATABASE_URL's (and dropped on close) when DATABASE_URL is set.
 */
export async function freshDatabase(): Promise<Database> {
  const base = process.env.DATABASE_URL;
  if (!base) return connectDatabase({ dataDir: 'memory' });
  const name = `vigil_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = connectDatabase({ databaseUrl: url.toString(), dataDir: 'memory', poolMax: 10 });
  return {
    ...db,
    close: async () => {
      await db.close();
      const dropper = new pg.Client({ connectionString: base });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

export const databaseLabel = (): string => (process.env.DATABASE_URL ? 'postgres' : 'pglite');
