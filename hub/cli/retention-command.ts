import type { Command } from 'commander';
import { planRetention } from '../retention/index.js';
import { withDatabase } from './with-database.js';
import { AppError } from '../../contracts/index.js';

export function registerRetentionCommand(program: Command): void {
  const retention = program.command('retention').description('Evidence retention');
  retention
    .command('plan')
    .description('print what the retention purge would delete now (or at --at), and why; deletes nothing')
    .option('--tenant <id>', 'only this tenant')
    .option('--at <iso>', 'plan as of this time instead of now (e.g. 2026-12-01T00:00:00Z)')
    .option('-c, --config <file>', 'YAML configuration file')
    .action(async (opts: { tenant?: string; at?: string; config?: string }) => {
      const now = opts.at ? new Date(opts.at) : new Date();
      if (Number.isNaN(now.getTime())) throw new AppError('bad_request', `--at ${opts.at} is not a date`);
      const plan = await withDatabase(opts, (db) => planRetention(db.knex, { now, ...(opts.tenant ? { tenantId: opts.tenant } : {}) }));
      for (const p of plan) {
        process.stdout.write(`${p.verdict === 'purge' ? 'PURGE' : 'HELD '}  ${p.tenantId}  ${p.id}  ${p.kind.padEnd(8)} ${String(p.bytes).padStart(10)} B  ${p.incidentId ?? '-'}  ${p.reason}\n`);
      }
      const purge = plan.filter((p) => p.verdict === 'purge');
      const bytes = purge.reduce((sum, p) => sum + p.bytes, 0);
      process.stdout.write(`${purge.length} item(s), ${bytes} bytes would be purged as of ${now.toISOString()}; ${plan.length - purge.length} kept by legal hold\n`);
    });
}
