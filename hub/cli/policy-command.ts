import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { AppError } from '../../contracts/index.js';
import { Tenant, withTenant } from '../../models/index.js';
import { ROLES, policyWarnings, validatePolicyDocument, type Role } from '../../policies/index.js';
import { resetPolicy } from '../commands/policy-editor.js';
import { explainDecision } from '../policies-store/policy-explainer.js';
import { withDatabase } from './with-database.js';

function readDocument(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new AppError('bad_request', `cannot read ${file}`, { cause });
  }
  try {
    return file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    throw new AppError('bad_request', `${file} is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(cause as Error).message}`, { cause });
  }
}

function lint(file: string): void {
  const { document, problems } = validatePolicyDocument(readDocument(file));
  if (!document) {
    for (const problem of problems) process.stdout.write(`${file}: ${problem.path}: ${problem.message}\n`);
    process.stdout.write(`${problems.length} problem(s)\n`);
    process.exitCode = 1;
    return;
  }
  for (const warning of policyWarnings(document)) process.stdout.write(`${file}: warning: ${warning.path}: ${warning.message}\n`);
  process.stdout.write(`${file}: OK (${document.rules.length} rules for ${document.role}, mode ${document.mode})\n`);
}

export function registerPolicyCommand(program: Command): void {
  const policy = program.command('policy').description('Tenant policies (CASL rules as data)');
  policy
    .command('lint')
    .description('validate a policy file offline ({ role, mode, rules } as YAML or JSON); warns about grants that widen access')
    .argument('<file>', 'policy file')
    .action(lint);
  policy
    .command('explain')
    .description('print which rule allows or denies an action on a record (or on the subject type without --id)')
    .requiredOption('--user <id>', 'the principal: a signed-in person usr_…, an identity svc_… or a token id tok_…')
    .requiredOption('--action <action>', 'read, update, transition, …')
    .requiredOption('--subject <subject>', 'Incident, Store, Policy, AuditRecord, …')
    .option('--id <id>', 'the record id (a role name for Policy)')
    .option('-c, --config <file>', 'YAML configuration file')
    .action(async (opts: { user: string; action: string; subject: string; id?: string; config?: string }) => {
      const explanation = await withDatabase(opts, (db) => explainDecision(db.knex, opts));
      process.stdout.write(`${explanation.text}\n`);
      if (!explanation.allowed) process.exitCode = 3;
    });
  policy
    .command('reset')
    .description('restore a role\'s built-in rules in a tenant (repairs a lockout); audited as policy.reset')
    .requiredOption('--tenant <id>', 'tenant id (ten_…)')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--reason <text>', 'kept in the audit trail', 'reset by an operator')
    .option('-c, --config <file>', 'YAML configuration file')
    .action(async (opts: { tenant: string; role: string; reason: string; config?: string }) => {
      if (!(ROLES as readonly string[]).includes(opts.role)) throw new AppError('validation_failed', `unknown role ${opts.role}; valid roles: ${ROLES.join(', ')}`);
      const saved = await withDatabase(opts, (db) =>
        withTenant(db.knex, opts.tenant, { as: 'owner' }, async (trx) => {
          const tenant = await Tenant.query(trx).findById(opts.tenant);
          if (!tenant) throw new AppError('not_found', `tenant ${opts.tenant} not found`);
          const ctx = { actor: { type: 'system' as const, id: 'vigil-cli' }, tenantId: opts.tenant, requestId: null, clientAddress: null, trx };
          return resetPolicy(ctx, opts.role as Role, opts.reason);
        }),
      );
      process.stdout.write(`${opts.tenant}: ${opts.role} policy reset to the built-in rules (version ${saved.version})\n`);
    });
}
