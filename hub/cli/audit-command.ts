import type { Command } from 'commander';
import { auditKeysFor, checkpointTargets, exportCheckpoints, verifyAuditChains, type ChainReport } from '../audit/index.js';
import { withDatabase } from './with-database.js';

function printReport(report: ChainReport): void {
  const anchor = report.checkpoint ? `, checkpoint seq ${report.checkpoint.seq} of ${report.checkpoint.at}` : ', no checkpoint';
  const shards = report.shards.length > 1 ? ` in ${report.shards.length} shards` : '';
  if (report.ok) process.stdout.write(`OK      ${report.tenantId}  ${report.records} records${shards}${anchor}\n`);
  else process.stdout.write(`BROKEN  ${report.tenantId}  ${report.problem?.kind}: ${report.problem?.message}\n`);
  for (const note of report.notes) process.stdout.write(`        ${report.tenantId}  note: ${note}\n`);
}

export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('The tamper-evident audit trail');
  audit
    .command('verify')
    .description('check each tenant\'s keyed chain against the newest signed checkpoints; name an edited, deleted, inserted or reordered record, a re-hashed chain, a truncated tail or a wiped trail (exit 2)')
    .option('--tenant <id>', 'only this tenant')
    .option('--all-checkpoints', 'hold each chain against every stored checkpoint, not only the newest')
    .option('-c, --config <file>', 'YAML configuration file')
    .action(async (opts: { tenant?: string; config?: string; allCheckpoints?: boolean }) => {
      const reports = await withDatabase(opts, (db, config) => verifyAuditChains(db.knex, opts.tenant, {
        keyring: auditKeysFor(db.knex), stores: checkpointTargets(config.audit, config.dataDir).stores, allCheckpoints: opts.allCheckpoints === true,
      }));
      for (const report of reports) printReport(report);
      if (reports.some((r) => !r.ok)) process.exitCode = 2;
    });
  audit
    .command('checkpoint')
    .description('sign and export a checkpoint of every tenant chain now (the worker does this at an interval)')
    .option('-c, --config <file>', 'YAML configuration file')
    .action(async (opts: { config?: string }) => {
      const made = await withDatabase(opts, (db, config) =>
        exportCheckpoints(db.knex, { keyring: auditKeysFor(db.knex), targets: checkpointTargets(config.audit, config.dataDir), exported: new Map() }));
      for (const c of made) process.stdout.write(`checkpoint  ${c.tenantId}  seq ${c.seq}  ${c.headHash}  ${c.at}  ${c.keyId}\n`);
    });
}
