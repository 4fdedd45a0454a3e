import type { Knex } from 'knex';
import { AppError } from '../../contracts/index.js';
import { ACTIONS, ROLES, SUBJECTS, abilityFor, recordOf, type Action, type Principal, type SubjectName, type TenantPolicy } from '../../policies/index.js';
import { authenticatedPrincipalOf } from './principal-lookup.js';
import { loadTenantPolicy } from './tenant-policy-loader.js';

type Subject = Exclude<SubjectName, 'all'>;

/** Where each subject's records live; Policy records are roles, Usage has none (explained per type only). */
const TABLES: Partial<Record<Subject, string>> = {
  Region: 'regions', Store: 'stores', Lane: 'lanes', Camera: 'cameras', Device: 'devices', Incident: 'incidents', Event: 'detection_events',
  AuditRecord: 'audit_records', ApiToken: 'api_tokens', Evidence: 'evidence_items', RetentionPolicy: 'retention_policies', Webhook: 'webhook_endpoints',
  RoutingPolicy: 'routing_policies', PosTransaction: 'pos_transactions', ServiceIdentity: 'service_identities', User: 'users',
};

export interface Explanation {
  allowed: boolean;
  text: string;
  rule: DecidingRule | null;
}

export interface ExplainInput {
  user: string;
  action: string;
  subject: string;
  id?: string | undefined;
}

const camel = (key: string) => key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

async function loadRecord(knex: Knex, principal: Principal, subjectName: Subject, id: string): Promise<Record<string, unknown>> {
  if (subjectName === 'Policy') {
    if (!(ROLES as readonly string[]).includes(id)) throw new AppError('validation_failed', `a Policy is named by its role; valid roles: ${ROLES.join(', ')}`);
    return { role: id };
  }
  if (subjectName === 'Tenant') {
    if (id !== principal.tenantId) throw new AppError('not_found', `${id} is not the tenant of ${principal.principalId}`);
    return { id };
  }
  const table = TABLES[subjectName];
  if (!table) throw new AppError('validation_failed', `${subjectName} has no records to name; leave out --id`);
  const row = (await knex(table).where({ tenant_id: principal.tenantId, id }).first()) as Record<string, unknown> | undefined;
  if (!row) throw new AppError('not_found', `${subjectName} ${id} not found in tenant ${principal.tenantId}`);
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [camel(key), value]));
}

function checkNames(input: ExplainInput): { action: Action; subject: Subject } {
  const problems: string[] = [];
  if (!(ACTIONS as readonly string[]).includes(input.action)) problems.push(`unknown action ${input.action}; valid actions: ${ACTIONS.join(', ')}`);
  if (input.subject === 'all' || !(SUBJECTS as readonly string[]).includes(input.subject)) problems.push(`unknown subject ${input.subject}; valid subjects: ${SUBJECTS.filter((s) => s !== 'all').join(', ')}`);
  if (problems.length > 0) throw new AppError('validation_failed', problems.join('\n'));
  return { action: input.action as Action, subject: input.subject as Subject };
}

/** The rule that decided, as CASL keeps it, with where it came from (built-in, a tenant policy version, the draft). */
export interface DecidingRule {
  action: unknown;
  subject: unknown;
  conditions: unknown;
  inverted: boolean;
  source: string;
}

/** A question resolved once: who, what and which record; explained under any policy of the principal's role. */
export interface ExplainTarget {
  principal: Principal;
  action: Action;
  subject: Subject;
  target: Subject | ReturnType<typeof recordOf>;
  what: string;
  named: boolean;
}

/**
 * Resolves the principal (a person usr_…, an identity or a token) and the record. With `tenantId` the principal
 * must belong to that tenant (an API caller's): another tenant's principal is not_found, like any of its ids.
 */
export async function explainTarget(knex: Knex, input: ExplainInput, tenantId?: string): Promise<ExplainTarget> {
  const { action, subject } = checkNames(input);
  const principal = await authenticatedPrincipalOf(knex, input.user);
  if (tenantId !== undefined && principal.tenantId !== tenantId) throw new AppError('not_found', `no user, active token or identity ${input.user}`);
  const target = input.id === undefined ? subject : recordOf(subject, await loadRecord(knex, principal, subject, input.id));
  const what = input.id === undefined ? `${subject} (any record)` : `${subject} ${input.id}`;
  return { principal, action, subject, target, what, named: input.id !== undefined };
}

/**
 * Which rule decides the target's question under `policy` (the tenant's policy for the principal's role, or
 * none). `policyLabel` names a policy that is not a saved version (an editor's draft) where a rule came from it.
 */
export function explainUnder(question: ExplainTarget, policy: TenantPolicy | null, policyLabel?: string): Explanation {
  const { principal, action, subject, target, what } = question;
  const ability = abilityFor(principal, policy);
  const allowed = ability.can(action, target);
  const rule = ability.relevantRuleFor(action, target);
  const who = `${principal.principalId} (${principal.role}, stores ${principal.storeIds.join(',') || '-'}, regions ${principal.regionIds.join(',') || '-'})`;
  const decision = allowed ? 'ALLOWED' : 'DENIED';
  if (!rule) {
    const others = ability.rulesFor(action, subject).filter((r) => !r.inverted && r.conditions);
    const near = others.length === 0 ? 'no rule of the role grants it' : `only rules for other records grant it: ${others.map((r) => JSON.stringify(r.conditions)).join(' or ')}`;
    return { allowed, rule: null, text: `${decision}: ${who} may not ${action} ${what}: ${near}` };
  }
  const origin = rule.origin as { source?: string };
  const fromPolicy = policy !== null && origin.source === `tenant policy for ${principal.role} v${policy.version}`;
  const source = fromPolicy && policyLabel ? policyLabel : origin.source ?? 'unknown source';
  const deciding: DecidingRule = { action: rule.action, subject: rule.subject, conditions: rule.conditions ?? null, inverted: rule.inverted, source };
  const described = JSON.stringify({ action: rule.action, subject: rule.subject, conditions: rule.conditions, inverted: rule.inverted || undefined });
  const caveat = !question.named && rule.conditions ? '\n  (the rule has conditions: it holds for some records only; name a record to decide)' : '';
  return { allowed, rule: deciding, text: `${decision}: ${who} ${action} ${what}\n  by ${rule.inverted ? 'inverted ' : ''}rule ${described}\n  from ${deciding.source}${caveat}` };
}

/** Which rule decided: CASL's relevant rule for the action on this record (or the type), with where it came from. */
export async function explainDecision(knex: Knex, input: ExplainInput): Promise<Explanation> {
  const question = await explainTarget(knex, input);
  return explainUnder(question, await loadTenantPolicy(knex, question.principal));
}
