import type { Command } from 'commander';
import { evidenceStoreFor } from '../evidence/index.js';
import { planLinkSweeps, planRetention, purgeExpired } from '../retention/index.js';
import { withDatabase } from './with-database.js';
import { AppError } from '../../contracts/index.js';

/** `--at`: the clock retention judges by (operators planning ahead, tests); now when absent. */
function clockOf(at: string | undefined): Date {
  const now = at ? new Date(at) : new Date();
  if (Number.isNaN(now.getTime())) throw new AppError('bad_request', `--at ${at} is not a date (ISO 8601, e.g. 2026-12-01T00:00:00Z)`);
  return now;
}

export function registerRetentionCommand(program: Command): void {
  const retention = program.command('retention').description('Evidence retention');
  retention
    .command('plan')
    .description('print what the retention purge would delete now (or at --at), and why, with the exports and redacted renditions that go with each item and the dead links it sweeps; deletes nothing')
    .option('--tenant <id>', 'only this tenant')
    .option('--at <iso>', 'plan as of this time instead of now (e.g. 2026-12-01T00:00:00Z)')
    .option('-c, --config <file>', 'YAML configuration file')
    .action(async (opts: { tenant?: string; at?: string; config?: string }) => {
      const now = clockOf(opts.at);
      const scope = { now, ...(opts.tenant ? { tenantId: opts.tenant } : {}) };
      const [plan, links] = await withDatabase(opts, async (db) => [await planRetention(db.knex, scope), await planLinkSweeps(db.knex, scope)] as const);
      for (const p of plan) {
        process.stdout.write(`${p.verdict === 'purge' ? 'PURGE' : 'HELD '}  ${p.tenantId}  ${p.id}  ${p.kind.padEnd(8)} ${String(p.bytes).padStart(10)} B  ${p.incidentId ?? '-'}  ${p.reason}\n`);
        if (p.verdict !== 'purge') continue;
        for (const exportId of p.exports) process.stdout.write(`EXPORT ${p.tenantId}  ${exportId}  holds ${p.id}: removed with it\n`);
        for (const key of p.renditions) process.stdout.write(`RENDITION ${p.tenantId}  ${key}  redacted copy of ${p.id}: removed with it\n`);
      }
      for (const l of links) process.stdout.write(`LINKS  ${l.tenantId}  ${l.expired} expired, ${l.revoked} revoked (issuer token revoked or session ended): swept\n`);
      const purge = plan.filter((p) => p.verdict === 'purge');
      const bytes = purge.reduce((sum, p) => sum + p.bytes, 0);
      const exports = new Set(purge.flatMap((p) => p.exports)).size;
      const renditions = purge.reduce((sum, p) => sum + p.renditions.length, 0);
      const swept = links.reduce((sum, l) => sum + l.expired + l.revoked, 0);
      process.stdout.write(`${purge.length} item(s), ${bytes} bytes would be purged as of ${now.toISOString()}, with ${exports} export(s) holding them and ${renditions} redacted rendition(s); ${plan.length - purge.length} kept by legal hold; ${swept} dead link(s) swept\n`);
    });
  retention
    .command('purge')
    .description('run the retention purge now, judging by --at instead of the clock (audited like the worker\'s purge)')
    .option('--tenant <id>', 'only this tenant')
    .option('--at <iso>', 'purge as of this time (e.g. 2026-12-01T00:00:00Z)')
    .option('-c, --config <file>', 'YAML configuration file')
    .action(async (opts: { tenant?: string; at?: string; config?: string }) => {
      const now = clockOf(opts.at);
      const report = await withDatabase(opts, (db, config) => purgeExpired(db.knex, evidenceStoreFor(config), { now, ...(opts.tenant ? { tenantId: opts.tenant } : {}) }));
      process.stdout.write(`purged ${report.purged} item(s), ${report.bytes} bytes, ${report.exports} export(s), ${report.renditions} rendition(s), ${report.links} dead link(s) as of ${now.toISOString()}; ${report.held} kept by legal hold\n`);
    });
}
