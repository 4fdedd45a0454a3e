import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectDatabase, type Database } from '../../hub/db/index.js';

/**
 * A fresh, empty database for one test: in-memory PGlite by default, or a new PostgreSQL database
 * created beside DATABASE_URL's (and dropped on close) when DATABASE_URL is set.
 */
export async function freshDatabase(options: { pgliteDir?: string } = {}): Promise<Database & { env: Record<string, string> }> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const dataDir = options.pgliteDir ?? 'memory';
    return { ...connectDatabase({ dataDir }), env: { VIGIL_DATA_DIR: dataDir, DATABASE_URL: '' } };
  }
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
    env: { DATABASE_URL: url.toString() },
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
