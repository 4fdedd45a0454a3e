import { AppError, newId, type Id } from '../../contracts/index.js';
import { mappingDatabaseErrors, Region, RetentionPolicy, Store, type RetentionOutcome } from '../../models/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';
import { nowOf } from './clock.js';

export interface RetentionPolicyInput {
  outcome: RetentionOutcome;
  keepDays: number;
  regionId?: Id<'region'> | undefined;
  storeId?: Id<'store'> | undefined;
  incidentType?: string | undefined;
}

/** A policy as the API shows it and the audit trail records it. */
export const describeRetentionPolicy = (p: RetentionPolicy) => ({
  id: p.id, outcome: p.outcome, keepDays: p.keepDays, regionId: p.regionId, storeId: p.storeId, incidentType: p.incidentType, createdAt: p.createdAt.toISOString(),
});

/** A scope names this tenant's own region or store; an id of another tenant is treated like a made-up one. */
async function requireScope(ctx: CommandContext, input: RetentionPolicyInput): Promise<void> {
  if (input.regionId && !(await Region.forTenant(ctx.trx, ctx.tenantId).findOne('regions.id', input.regionId))) throw new AppError('not_found', `region ${input.regionId} not found`);
  if (input.storeId && !(await Store.forTenant(ctx.trx, ctx.tenantId).findOne('stores.id', input.storeId))) throw new AppError('not_found', `store ${input.storeId} not found`);
}

/** Adds a policy; one scope (region, store, type, outcome) has at most one, so a second answers 409 naming the first. */
export async function createRetentionPolicy(ctx: CommandContext, input: RetentionPolicyInput): Promise<RetentionPolicy> {
  await requireScope(ctx, input);
  const scope = { regionId: input.regionId ?? null, storeId: input.storeId ?? null, incidentType: input.incidentType ?? null, outcome: input.outcome };
  const clash = await RetentionPolicy.forTenant(ctx.trx, ctx.tenantId).where({ region_id: scope.regionId, store_id: scope.storeId, incident_type: scope.incidentType, outcome: scope.outcome }).first();
  if (clash) throw new AppError('conflict', `policy ${clash.id} already covers this scope; delete it first`, { details: { field: 'scope', policyId: clash.id } });
  const now = nowOf(ctx);
  const policy = await mappingDatabaseErrors(() =>
    RetentionPolicy.query(ctx.trx).insertAndFetch({ tenantId: ctx.tenantId, id: newId('retentionPolicy', now.getTime()), ...scope, keepDays: input.keepDays, createdAt: now }),
  );
  await writeAudit(ctx, { action: 'retention.policy_created', subjectType: 'RetentionPolicy', subjectId: policy.id, after: describeRetentionPolicy(policy) });
  return policy;
}

/** Removes a policy (the next broader one applies from the next purge). */
export async function deleteRetentionPolicy(ctx: CommandContext, id: string): Promise<void> {
  const policy = await RetentionPolicy.forTenant(ctx.trx, ctx.tenantId).findOne('retention_policies.id', id).forUpdate();
  if (!policy) throw new AppError('not_found', 'retention policy not found');
  await RetentionPolicy.query(ctx.trx).deleteById([ctx.tenantId, policy.id]);
  await writeAudit(ctx, { action: 'retention.policy_deleted', subjectType: 'RetentionPolicy', subjectId: policy.id, before: describeRetentionPolicy(policy) });
}
