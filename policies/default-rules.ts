import { adminRules } from './admin.js';
import { apiTokenRules } from './api-token.js';
import { auditRecordRules } from './audit-record.js';
import { directoryRules } from './directory.js';
import { eventRules } from './event.js';
import { environmentRules, programRules } from './environment.js';
import { evidenceRules } from './evidence.js';
import { incidentRules } from './incident.js';
import { posTransactionRules } from './pos-transaction.js';
import { storeRulesRules } from './store-rules.js';
import type { Role, RoleRules, RuleTemplate } from './types.js';
import { userRules } from './user.js';
import { webhookRules } from './webhook.js';

const RULE_SETS: RoleRules[] = [adminRules, directoryRules, incidentRules, posTransactionRules, eventRules, auditRecordRules, apiTokenRules, evidenceRules, webhookRules, userRules, storeRulesRules, environmentRules, programRules];

/** The built-in rules of a role, gathered from the per-subject policy files. */
export function defaultRulesFor(role: Role): RuleTemplate[] {
  return RULE_SETS.flatMap((set) => (set[role] ?? []).map((rule) => ({ ...rule, source: rule.source ?? `built-in rules of ${role}` })));
}
