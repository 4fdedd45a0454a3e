import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { AppError } from '../../contracts/index.js';
import { validatePolicyDocument } from '../../policies/index.js';
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

export function registerPolicyCommand(program: Command): void {
  const policy = program.command('policy').description('Tenant policies (CASL rules as data)');
  policy
    .command('lint')
    .description('validate a policy file offline ({ role, mode, rules } as YAML or JSON)')
    .argument('<file>', 'policy file')
    .action((file: string) => {
      const { document, problems } = validatePolicyDocument(readDocument(file));
      if (!document) {
        for (const problem of problems) process.stdout.write(`${file}: ${problem.path}: ${problem.message}\n`);
        process.stdout.write(`${problems.length} problem(s)\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`${file}: OK (${document.rules.length} rules for ${document.role}, mode ${document.mode})\n`);
    });
  policy
    .command('explain')
    .description('print which rule allows or denies an action on a record')
    .requiredOption('--user <id>', 'the principal: usr_…, svc_… or a token id tok_…')
    .requiredOption('--action <action>', 'read, update, transition, …')
    .requiredOption('--subject <subject>', 'Incident, Store, Camera, …')
    .requiredOption('--id <id>', 'the record id')
    .option('-c, --config <file>', 'YAML configuration file')
    .action(async (opts: { user: string; action: string; subject: string; id: string; config?: string }) => {
      const explanation = await withDatabase(opts, (db) => explainDecision(db.knex, opts));
      process.stdout.write(`${explanation.text}\n`);
      if (!explanation.allowed) process.exitCode = 3;
    });
}
