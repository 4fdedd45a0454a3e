import { AppError, newId } from '../../contracts/index.js';
import { Region, RoutingCooldown, RoutingEscalation, RoutingPolicyRow, Store, WebhookEndpoint } from '../../models/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';

/** The fields of a routing policy a caller may set (all optional on update). */
export interface RoutingPolicyInput {
  name?: string | undefined;
  regionId?: string | null | undefined;
  storeId?: string | null | undefined;
  incidentTypes?: string[] | undefined;
  severities?: string[] | undefined;
  endpointIds?: string[] | undefined;
  quietHours?: { start: string; end: string } | null | undefined;
  cooldownSeconds?: number | undefined;
  escalateAfterMinutes?: number | null | undefined;
  escalationEndpointIds?: string[] | undefined;
  enabled?: boolean | undefined;
}

type Scope = Pick<CommandContext, 'trx' | 'tenantId'>;

/** What the audit trail records of a policy (it holds no secret). */
export const policyView = (p: RoutingPolicyRow) => ({
  id: p.id, name: p.name, regionId: p.regionId, storeId: p.storeId, incidentTypes: p.incidentTypes, severities: p.severities,
  endpointIds: p.endpointIds, quietHours: p.quietHours, cooldownSeconds: p.cooldownSeconds, escalateAfterMinutes: p.escalateAfterMinutes,
  escalationEndpointIds: p.escalationEndpointIds, enabled: p.enabled,
});

/** The region a store-scoped policy belongs to (for CASL's region conditions); null for other scopes. */
export async function storeRegionOf(ctx: Scope, storeId: string | null | undefined): Promise<string | null> {
  if (!storeId) return null;
  const store = await Store.forTenant(ctx.trx, ctx.tenantId).findOne({ id: storeId }).select('region_id');
  return store?.regionId ?? null;
}

/** Loads a policy of the tenant (404 otherwise); `lock` takes it FOR UPDATE for a change. */
export async function loadRoutingPolicy(ctx: Scope, id: string, lock = false): Promise<RoutingPolicyRow> {
  const query = RoutingPolicyRow.forTenant(ctx.trx, ctx.tenantId).findOne({ id });
  const policy = await (lock ? query.forUpdate() : query);
  if (!policy) throw new AppError('not_found', 'routing policy not found');
  return policy;
}

/** Scope and destinations must exist in the tenant (an id of another tenant is simply unknown). */
async function checkReferences(ctx: Scope, input: RoutingPolicyInput): Promise<void> {
  if (input.regionId) {
    const region = await Region.forTenant(ctx.trx, ctx.tenantId).findOne({ id: input.regionId }).select('id');
    if (!region) throw new AppError('not_found', `region ${input.regionId} not found`);
  }
  if (input.storeId && (await storeRegionOf(ctx, input.storeId)) === null) throw new AppError('not_found', `store ${input.storeId} not found`);
  const ids = [...(input.endpointIds ?? []), ...(input.escalationEndpointIds ?? [])];
  if (ids.length === 0) return;
  const found = (await WebhookEndpoint.forTenant(ctx.trx, ctx.tenantId).whereIn('id', ids).select('id')).map((e) => e.id);
  const missing = ids.filter((id) => !found.includes(id));
  if (missing.length > 0) throw new AppError('validation_failed', `unknown webhook endpoints: ${missing.join(', ')}`, { details: { missing } });
}

/** Only the fields the caller set; undefined means "leave as is". */
const definedFields = (input: RoutingPolicyInput): Partial<RoutingPolicyRow> =>
  Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));

export async function createRoutingPolicy(ctx: CommandContext, input: RoutingPolicyInput): Promise<RoutingPolicyRow> {
  await checkReferences(ctx, input);
  const policy = await RoutingPolicyRow.query(ctx.trx).insertAndFetch({ ...definedFields(input), tenantId: ctx.tenantId, id: newId('routingPolicy') });
  await writeAudit(ctx, { action: 'routing_policy.created', subjectType: 'RoutingPolicy', subjectId: policy.id, after: policyView(policy) });
  return policy;
}

export async function updateRoutingPolicy(ctx: CommandContext, before: RoutingPolicyRow, input: RoutingPolicyInput): Promise<RoutingPolicyRow> {
  await checkReferences(ctx, input);
  const policy = await RoutingPolicyRow.query(ctx.trx).patchAndFetchById([ctx.tenantId, before.id], { ...definedFields(input), updatedAt: ctx.now?.() ?? new Date() });
  await writeAudit(ctx, { action: 'routing_policy.updated', subjectType: 'RoutingPolicy', subjectId: policy.id, before: policyView(before), after: policyView(policy) });
  return policy;
}

/** Deletes the policy with its open escalations and cooldown slots. */
export async function deleteRoutingPolicy(ctx: CommandContext, before: RoutingPolicyRow): Promise<void> {
  await RoutingEscalation.query(ctx.trx).where({ tenant_id: ctx.tenantId, policy_id: before.id }).whereNull('done_at').delete();
  await RoutingCooldown.query(ctx.trx).where({ tenant_id: ctx.tenantId, policy_id: before.id }).delete();
  await RoutingPolicyRow.query(ctx.trx).deleteById([ctx.tenantId, before.id]);
  await writeAudit(ctx, { action: 'routing_policy.deleted', subjectType: 'RoutingPolicy', subjectId: before.id, before: policyView(before) });
}
