import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Knex } from 'knex';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
const MIGRATION_FILE = /^\d{14}_[a-z0-9_]+\.(ts|js)$/;
/** Compiled (dist/migrations/*.js) or source: knex_migrations records every migration under its `.ts` name. */
const RECORDED_EXTENSION = '.ts';
const recordedName = (file: string): string => file.replace(/\.js$/, RECORDED_EXTENSION);

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * Loads `migrations/<timestamp>_<name>.ts` through import(), which works the same under tsx and the tests; from
 * dist/ the folder beside this file holds the compiled `.js`, recorded under the same `.ts` names, so a database
 * migrated by either stays current for both.
 */
class FolderMigrationSource implements Knex.MigrationSource<string> {
  getMigrations(): Promise<string[]> {
    return Promise.resolve(readdirSync(MIGRATIONS_DIR).filter((f) => MIGRATION_FILE.test(f)).sort());
  }
  getMigrationName(migration: string): string {
    return recordedName(migration);
  }
  async getMigration(migration: string): Promise<Knex.Migration> {
    const mod = (await import(pathToFileURL(`${MIGRATIONS_DIR}${migration}`).href)) as MigrationModule;
    return { up: mod.up, down: mod.down };
  }
}

const config = (): Knex.MigratorConfig => ({ migrationSource: new FolderMigrationSource(), tableName: 'knex_migrations' });

export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

export async function migrateUp(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest(config())) as [number, string[]];
  return applied;
}

/** Rolls back every migration (`all`) or the last batch. */
export async function migrateDown(knex: Knex, all = true): Promise<string[]> {
  const [, reverted] = (await knex.migrate.rollback(config(), all)) as [number, string[]];
  return reverted;
}

export async function migrationStatus(knex: Knex): Promise<MigrationStatus> {
  const [completed, pending] = (await knex.migrate.list(config())) as [Array<{ name: string }>, Array<string | { file: string }>];
  return { applied: completed.map((m) => m.name), pending: pending.map((m) => recordedName(typeof m === 'string' ? m : m.file)) };
}
