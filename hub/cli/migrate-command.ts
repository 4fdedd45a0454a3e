import type { Command } from 'commander';
import { migrateDown, migrateUp, migrationStatus } from '../db/index.js';
import { withDatabase } from './with-database.js';

export function registerMigrateCommand(program: Command): void {
  const migrate = program.command('migrate').description('Database migrations (same for PGlite and PostgreSQL)');
  migrate
    .command('up')
    .description('apply every pending migration')
    .option('-c, --config <file>', 'YAML configuration file')
    .action(async (opts: { config?: string }) => {
      const applied = await withDatabase(opts, (db) => migrateUp(db.knex));
      process.stdout.write(applied.length ? `applied:\n${applied.map((m) => `  ${m}`).join('\n')}\n` : 'already up to date\n');
    });
  migrate
    .command('down')
    .description('roll back the last batch (or --all)')
    .option('--all', 'roll back every migration')
    .option('-c, --config <file>', 'YAML configuration file')
    .action(async (opts: { config?: string; all?: boolean }) => {
      const reverted = await withDatabase(opts, (db) => migrateDown(db.knex, opts.all ?? false));
      process.stdout.write(reverted.length ? `rolled back:\n${reverted.map((m) => `  ${m}`).join('\n')}\n` : 'nothing to roll back\n');
    });
  migrate
    .command('status')
    .description('list applied and pending migrations')
    .option('-c, --config <file>', 'YAML configuration file')
    .action(async (opts: { config?: string }) => {
      const status = await withDatabase(opts, (db) => migrationStatus(db.knex));
      for (const name of status.applied) process.stdout.write(`applied  ${name}\n`);
      for (const name of status.pending) process.stdout.write(`pending  ${name}\n`);
    });
}
