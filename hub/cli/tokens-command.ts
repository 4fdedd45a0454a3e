import type { Command } from 'commander';
import { AppError } from '../../contracts/index.js';
import { ROLES, type Role } from '../../policies/index.js';
import { writeAudit } from '../audit/index.js';
import { mintApiToken } from '../auth/api-tokens.js';
import { withDatabase } from './with-database.js';

const list = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').filter(Boolean)];

export function registerTokensCommand(program: Command): void {
  const tokens = program.command('tokens').description('API tokens');
  tokens
    .command('create')
    .description('mint a vgl_ API token (shown once; only its hash is stored)')
    .requiredOption('--tenant <id>', 'tenant id (ten_…)')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--store <id>', 'store scope (repeatable or comma-separated)', list)
    .option('--region <id>', 'region scope (repeatable or comma-separated)', list)
    .option('--name <name>', 'a name to recognise it by', 'cli token')
    .option('-c, --config <file>', 'YAML configuration file')
    .action(async (opts: { tenant: string; role: string; store?: string[]; region?: string[]; name: string; config?: string }) => {
      if (!ROLES.includes(opts.role as Role)) throw new AppError('validation_failed', `--role must be one of ${ROLES.join(', ')}`);
      const token = await withDatabase(opts, (db) =>
        db.knex.transaction(async (trx) => {
          const minted = await mintApiToken(trx, {
            tenantId: opts.tenant, role: opts.role as Role, name: opts.name, storeIds: opts.store ?? [], regionIds: opts.region ?? [], createdBy: 'vigil-cli',
          });
          await writeAudit({ actor: { type: 'system', id: 'vigil-cli' }, tenantId: opts.tenant, requestId: null, clientAddress: null, trx }, {
            action: 'token.created', subjectType: 'ApiToken', subjectId: minted.record.id, after: { role: opts.role, storeIds: opts.store ?? [], regionIds: opts.region ?? [] },
          });
          return minted.token;
        }),
      );
      process.stdout.write(`${token}\n`);
    });
}
