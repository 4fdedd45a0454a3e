import type { Command } from 'commander';
import type { Knex } from 'knex';
import { z } from 'zod';
import { AppError, environmentNameSchema, idSchema } from '../../contracts/index.js';
import { ROLES } from '../../policies/index.js';
import type { CommandContext } from '../audit/index.js';
import { issueToken } from '../commands/token-issuer.js';
import { withDatabase } from './with-database.js';

const list = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').filter(Boolean)];

/** The CLI's options, checked like the API's body: a bad role, id or date is named before anything is minted. */
export const cliTokenInput = z.strictObject({
  tenant: idSchema('tenant'),
  role: z.enum(ROLES),
  store: z.array(idSchema('store')).default([]),
  region: z.array(idSchema('region')).default([]),
  name: z.string().trim().min(1).max(200),
  expires: z.iso.datetime({ offset: true }).optional(),
  environment: environmentNameSchema.optional(),
});

/** Mints a token as the system actor `vigil-cli`, through the same command (checks and audit) as the API. */
export async function createCliToken(knex: Knex, options: unknown): Promise<{ token: string; tokenId: string }> {
  const parsed = cliTokenInput.safeParse(options);
  if (!parsed.success) throw new AppError('validation_failed', parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
  const input = parsed.data;
  return knex.transaction(async (trx) => {
    const ctx: CommandContext = { actor: { type: 'system', id: 'vigil-cli' }, tenantId: input.tenant, requestId: null, clientAddress: null, trx, now: () => new Date() };
    const minted = await issueToken(ctx, {
      name: input.name, role: input.role, storeIds: input.store, regionIds: input.region, expiresAt: input.expires ? new Date(input.expires) : null,
      environment: input.environment,
    });
    return { token: minted.token, tokenId: minted.record.id };
  });
}

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
    .option('--expires <date-time>', 'expiry (ISO 8601, in the future)')
    .option('--environment <name>', 'the environment the token acts in (production unless named; it must exist)')
    .option('-c, --config <file>', 'YAML configuration file')
    .action(async (opts: { tenant: string; role: string; store?: string[]; region?: string[]; name: string; expires?: string; environment?: string; config?: string }) => {
      const { config, ...input } = opts;
      const minted = await withDatabase({ ...(config ? { config } : {}) }, (db) => createCliToken(db.knex, input));
      process.stdout.write(`${minted.token}\n`);
    });
}
