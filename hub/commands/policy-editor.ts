import { AppError, newId } from '../../contracts/index.js';
import { TenantPolicyVersion } from '../../models/index.js';
import type { PolicyDocument } from '../../policies/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';

async function latest(ctx: CommandContext, role: string): Promise<TenantPolicyVersion | undefined> {
  return TenantPolicyVersion.forTenant(ctx.trx, ctx.tenantId).where('role', role).orderBy('version', 'desc').forUpdate().first();
}

/** Saves a validated policy as the role's next version and audits the change with both versions. */
export async function savePolicy(ctx: CommandContext, document: PolicyDocument, reason: string, revertsVersion: number | null = null): Promise<TenantPolicyVersion> {
  const previous = await latest(ctx, document.role);
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
    action: revertsVersion === null ? 'policy.updated' : 'policy.reverted',
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

/** Rules present in one version and not the other, compared by their canonical JSON. */
export function diffRules(from: unknown[], to: unknown[]): { added: unknown[]; removed: unknown[]; unchanged: number } {
  const key = (rule: unknown) => JSON.stringify(rule, Object.keys(rule as object).sort());
  const fromKeys = new Set(from.map(key));
  const toKeys = new Set(to.map(key));
  return {
    added: to.filter((rule) => !fromKeys.has(key(rule))),
    removed: from.filter((rule) => !toKeys.has(key(rule))),
    unchanged: to.filter((rule) => fromKeys.has(key(rule))).length,
  };
}
