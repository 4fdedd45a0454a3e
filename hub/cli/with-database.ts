import { setUpAuditKeys } from '../audit/index.js';
import { bindEvidenceSecrets } from '../evidence/index.js';
import { secretBoxFromConfig } from '../webhooks/index.js';
import { loadHubConfig, type HubConfig } from '../config/index.js';
import { connectDatabase, migrateUp, type Database } from '../db/index.js';

export interface DbCommandOptions {
  config?: string;
  migrate?: boolean;
}

/**
 * Opens the configured database for a one-off command and closes it afterwards. On PGlite this takes the
 * data directory's lock, so a running hub is reported plainly instead of corrupting its data. The audit
 * keys are bound to the handle, so records the command writes are keyed like the hub's.
 */
export async function withDatabase<T>(options: DbCommandOptions, fn: (db: Database, config: HubConfig) => Promise<T>): Promise<T> {
  const config = loadHubConfig({ file: options.config });
  const db = connectDatabase({ databaseUrl: config.database.url, dataDir: config.dataDir, poolMax: 2 });
  try {
    if (options.migrate) await migrateUp(db.knex);
    // Commands that write audit records key them like the hub does.
    setUpAuditKeys(db.knex, config);
    bindEvidenceSecrets(db.knex, secretBoxFromConfig(config));
    return await fn(db, config);
  } finally {
    await db.close();
  }
}
