import type { Command } from 'commander';
import { verifyAuditChains } from '../audit/index.js';
import { withDatabase } from './with-database.js';

export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('The tamper-evident audit trail');
  audit
    .command('verify')
    .description('recompute each tenant\'s hash chain and name the first edited, deleted, inserted or reordered record')
    .option('--tenant <id>', 'only this tenant')
    .option('-c, --config <file>', 'YAML configuration file')
    .action(async (opts: { tenant?: string; config?: string }) => {
      const reports = await withDatabase(opts, (db) => verifyAuditChains(db.knex, opts.tenant));
      let broken = 0;
      for (const report of reports) {
        if (report.ok) process.stdout.write(`OK      ${report.tenantId}  ${report.records} records\n`);
        else {
          broken += 1;
          process.stdout.write(`BROKEN  ${report.tenantId}  ${report.problem?.kind}: ${report.problem?.message}\n`);
        }
      }
      if (broken > 0) process.exitCode = 2;
    });
}
