import { AppError, newId } from '../../contracts/index.js';
import { TenantPolicyVersion } from '../../models/index.js';
import { defaultRulesFor, escalationProblems, lockoutProblems, type PolicyDocument, type RuleProblem, type RuleTemplate, type TenantPolicy } from '../../policies/index.js';
import { canonicalJson, writeAudit, type CommandContext } from '../audit/index.js';

async function latest(ctx: CommandContext, role: string): Promise<TenantPolicyVersion | undefined> {
  return TenantPolicyVersion.forTenant(ctx.trx, ctx.tenantId).where('role', role).orderBy('version', 'desc').forUpdate().first();
}

export const asTenantPolicy = (row: TenantPolicyVersion | undefined): TenantPolicy | null =>
  row ? { mode: row.mode, rules: row.rules as RuleTemplate[], version: row.version } : null;

const describe = (problems: RuleProblem[]) => problems.map((p) => `${p.path}: ${p.message}`).join('; ');

/** Refuses (409) a change that would lock the tenant out or let the role gain power over policies, tokens or users. */
export function guardPolicyChange(current: TenantPolicy | null, document: PolicyDocument): void {
  const lockout = lockoutProblems(document);
  if (lockout.length > 0) throw new AppError('conflict', `refused: ${describe(lockout)}`, { details: { issues: lockout } });
  const escalation = escalationProblems(current, document);
  if (escalation.length > 0) throw new AppError('conflict', `refused: ${describe(escalation)}`, { details: { issues: escalation } });
}

/** Saves a validated policy as the role's next version and audits the change with both versions. */
export async function savePolicy(ctx: CommandContext, document: PolicyDocument, reason: string, revertsVersion: number | null = null): Promise<TenantPolicyVersion> {
  const previous = await latest(ctx, document.role);
  guardPolicyChange(asTenantPolicy(previous), document);
  return insertVersion(ctx, previous, document, reason, revertsVersion === null ? 'policy.updated' : 'policy.reverted', revertsVersion);
}

/**
 * Puts back a role's built-in rules (an empty extend policy) without the guards, for an operator repairing
 * a tenant from the command line; audited as `policy.reset`.
 */
export async function resetPolicy(ctx: CommandContext, role: PolicyDocument['role'], reason: string): Promise<TenantPolicyVersion> {
  const previous = await latest(ctx, role);
  return insertVersion(ctx, previous, { role, mode: 'extend', rules: [] }, reason, 'policy.reset', null);
}

async function insertVersion(ctx: CommandContext, previous: TenantPolicyVersion | undefined, document: PolicyDocument, reason: string, action: string, revertsVersion: number | null): Promise<TenantPolicyVersion> {
  const saved = await TenantPolicyVersion.query(ctx.trx).insertAndFetch({
    tenantId: ctx.tenantId,
    id: newId('policy'),
    role: document.role,
    version: (previous?.version ?? 0) + 1,
    mode: document.mode,
    rules: document.rules,
    reason,
    revertsVersion,
    createdBy: ctx.actor.id,
  });
  await writeAudit(ctx, {
    action,
    subjectType: 'Policy',
    subjectId: `${document.role}`,
    before: previous ? { version: previous.version, mode: previous.mode, rules: previous.rules } : null,
    after: { version: saved.version, mode: saved.mode, rules: saved.rules, reason, revertsVersion },
  });
  return saved;
}

export async function findVersion(ctx: CommandContext, role: string, version: number): Promise<TenantPolicyVersion> {
  const row = await TenantPolicyVersion.forTenant(ctx.trx, ctx.tenantId).where({ role, version }).first();
  if (!row) throw new AppError('not_found', `policy version ${version} of ${role} not found`);
  return row;
}

export interface PolicyDiff {
  mode: { from: string; to: string; changed: boolean };
  added: unknown[];
  removed: unknown[];
  unchanged: number;
  effective: { added: unknown[]; removed: unknown[] };
}

function ruleDiff(from: unknown[], to: unknown[]): { added: unknown[]; removed: unknown[]; unchanged: number } {
  const fromKeys = new Set(from.map(canonicalJson));
  const toKeys = new Set(to.map(canonicalJson));
  return {
    added: to.filter((rule) => !fromKeys.has(canonicalJson(rule))),
    removed: from.filter((rule) => !toKeys.has(canonicalJson(rule))),
    unchanged: to.filter((rule) => fromKeys.has(canonicalJson(rule))).length,
  };
}

/** The rules in force for the role under a version (built-in ones included when it extends). */
const inForce = (role: PolicyDocument['role'], version: { mode: string; rules: unknown[] }): unknown[] =>
  version.mode === 'replace' ? version.rules : [...defaultRulesFor(role).map(({ source: _source, ...rule }) => rule), ...version.rules];

/**
 * Rules added and removed between two versions, compared by canonical JSON (keys sorted at every depth, so a
 * change inside a condition counts), the mode change, and the same comparison of the rules in force.
 */
export function diffPolicies(role: PolicyDocument['role'], from: { mode: string; rules: unknown[] }, to: { mode: string; rules: unknown[] }): PolicyDiff {
  const stored = ruleDiff(from.rules, to.rules);
  const effective = ruleDiff(inForce(role, from), inForce(role, to));
  return { mode: { from: from.mode, to: to.mode, changed: from.mode !== to.mode }, ...stored, effective: { added: effective.added, removed: effective.removed } };
}
