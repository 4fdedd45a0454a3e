import { newId, type IdKind } from '../../contracts/index.js';
import type { TenantModel } from '../../models/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';

type TenantModelClass<M extends TenantModel> = typeof TenantModel & (new () => M);

/** Creates a tenant row and its audit record in the caller's transaction. */
export async function createRecord<M extends TenantModel>(
  ctx: CommandContext,
  model: TenantModelClass<M>,
  kind: IdKind,
  subjectType: string,
  values: Record<string, unknown>,
): Promise<M> {
  const row = (await model.query(ctx.trx).insertAndFetch({ ...values, tenantId: ctx.tenantId, id: newId(kind) })) as unknown as M;
  await writeAudit(ctx, { action: `${subjectType.toLowerCase()}.created`, subjectType, subjectId: row.id, after: row.toJSON() });
  return row;
}

/** Patches a tenant row (already authorized) and audits before and after. */
export async function updateRecord<M extends TenantModel>(
  ctx: CommandContext,
  model: TenantModelClass<M>,
  subjectType: string,
  before: M,
  patch: Record<string, unknown>,
): Promise<M> {
  const after = (await model
    .query(ctx.trx)
    .patchAndFetchById([ctx.tenantId, before.id], { ...patch, updatedAt: new Date() } as Record<string, unknown>)) as unknown as M;
  await writeAudit(ctx, { action: `${subjectType.toLowerCase()}.updated`, subjectType, subjectId: before.id, before: before.toJSON(), after: after.toJSON() });
  return after;
}
