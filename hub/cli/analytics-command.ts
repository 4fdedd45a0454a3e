import type { Command } from 'commander';
import { rebuildAnalytics, rollUpAllAnalytics } from '../analytics/index.js';
import { withDatabase } from './with-database.js';

export function registerAnalyticsCommand(program: Command): void {
  const analytics = program.command('analytics').description('Analytics rollups (what /v1/analytics and the console\'s charts read)');
  analytics
    .command('rebuild')
    .description('throw the incident rollups away and compute them again from the incident tables (one tenant, or all)')
    .option('--tenant <id>', 'only this tenant')
    .option('-c, --config <file>', 'YAML configuration file')
    .action(async (opts: { tenant?: string; config?: string }) => {
      const { rows } = await withDatabase(opts, (db) => rebuildAnalytics(db.knex, opts.tenant));
      process.stdout.write(`rebuilt ${rows} rollup row(s)${opts.tenant ? ` of ${opts.tenant}` : ''}\n`);
    });
  analytics
    .command('roll-up')
    .description('fold the incident change log into the rollups now (what the worker does every few seconds)')
    .option('-c, --config <file>', 'YAML configuration file')
    .action(async (opts: { config?: string }) => {
      const folded = await withDatabase(opts, (db) => rollUpAllAnalytics(db.knex));
      process.stdout.write(`folded ${folded} change(s)\n`);
    });
}
