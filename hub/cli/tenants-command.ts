import type { Command } from 'commander';
import { createTenant } from '../commands/tenant-creator.js';
import { withDatabase } from './with-database.js';

export function registerTenantsCommand(program: Command): void {
  const tenants = program.command('tenants').description('Tenants');
  tenants
    .command('create')
    .description('bootstrap a tenant; prints its id and its first lp_admin token (shown once)')
    .requiredOption('--name <name>', 'tenant name')
    .option('-c, --config <file>', 'YAML configuration file')
    .option('--json', 'print JSON')
    .action(async (opts: { name: string; config?: string; json?: boolean }) => {
      const created = await withDatabase({ ...opts, migrate: true }, (db) => createTenant(db.knex, opts.name));
      if (opts.json) process.stdout.write(`${JSON.stringify({ tenantId: created.tenant.id, adminToken: created.adminToken })}\n`);
      else process.stdout.write(`tenant  ${created.tenant.id}\nadmin token (shown once): ${created.adminToken}\n`);
    });
}
