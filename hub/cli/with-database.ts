import { loadHubConfig } from '../config/index.js';
import { connectDatabase, migrateUp, type Database } from '../db/index.js';

export interface DbCommandOptions {
  config?: string;
  migrate?: boolean;
}

/**
 * Opens the configured database for a one-off command and closes it afterwards. On PGlite this takes the
 * data directory's lock, so a running hub is reported plainly instead of corrupting its data.
 */
export async function withDatabase<T>(options: DbCommandOptions, fn: (db: Database) => Promise<T>): Promise<T> {
  const config = loadHubConfig({ file: options.config });
  const db = connectDatabase({ databaseUrl: config.database.url, dataDir: config.dataDir, poolMax: 2 });
  try {
    if (options.migrate) await migrateUp(db.knex);
    return await fn(db);
  } finally {
    await db.close();
  }
}
