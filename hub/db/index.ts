export { connectDatabase, type Database, type DatabaseKind, type ConnectOptions } from './connect.js';
export { migrateUp, migrateDown, migrationStatus, type MigrationStatus } from './migrator.js';
export { acquirePgliteLock } from './pglite-lock.js';
export { ensureMonthlyPartitions, PARTITIONED_TABLES } from './partitions.js';
