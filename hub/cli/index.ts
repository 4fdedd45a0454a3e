import type { Command } from 'commander';
import type { RuleCatalog } from '../commands/store-rules-editor.js';
import { registerAnalyticsCommand } from './analytics-command.js';
import { registerAuditCommand } from './audit-command.js';
import { registerEvidenceCommand } from './evidence-command.js';
import { registerRetentionCommand } from './retention-command.js';
import { registerSecretsCommand } from './secrets-command.js';
import { registerHubCommand } from './hub-command.js';
import { registerMigrateCommand } from './migrate-command.js';
import { registerPolicyCommand } from './policy-command.js';
import { registerTenantsCommand } from './tenants-command.js';
import { registerTokensCommand } from './tokens-command.js';

/**
 * Registers the hub's commands; each lives in its own file beside this one. The `vigil` CLI loads them one at a
 * time through bin/command-table.ts (a command added here must be listed there too: bin/command-table.test.ts).
 */
export function registerHubCommands(program: Command, deps: { loadRuleCatalog?: () => Promise<RuleCatalog> } = {}): void {
  registerHubCommand(program, deps);
  registerMigrateCommand(program);
  registerTenantsCommand(program);
  registerTokensCommand(program);
  registerAuditCommand(program);
  registerPolicyCommand(program);
  registerEvidenceCommand(program);
  registerRetentionCommand(program);
  registerAnalyticsCommand(program);
  registerSecretsCommand(program);
}
