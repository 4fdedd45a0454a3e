import type { Command } from 'commander';
import { registerAuditCommand } from './audit-command.js';
import { registerEvidenceCommand } from './evidence-command.js';
import { registerRetentionCommand } from './retention-command.js';
import { registerSecretsCommand } from './secrets-command.js';
import { registerHubCommand } from './hub-command.js';
import { registerMigrateCommand } from './migrate-command.js';
import { registerPolicyCommand } from './policy-command.js';
import { registerTenantsCommand } from './tenants-command.js';
import { registerTokensCommand } from './tokens-command.js';

/** Registers the hub's commands; each lives in its own file beside this one. */
export function registerHubCommands(program: Command): void {
  registerHubCommand(program);
  registerMigrateCommand(program);
  registerTenantsCommand(program);
  registerTokensCommand(program);
  registerAuditCommand(program);
  registerPolicyCommand(program);
  registerEvidenceCommand(program);
  registerRetentionCommand(program);
  registerSecretsCommand(program);
}
