import { AppError, newId, type Id } from '../../contracts/index.js';
import { Environment, mappingDatabaseErrors, Region, Session, Store, User } from '../../models/index.js';
import type { Role } from '../../policies/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';
import { nowOf } from './clock.js';

export interface UserScope {
  role: Role;
  storeIds: Id<'store'>[];
  regionIds: Id<'region'>[];
  environments: string[];
}

export interface UserPatch {
  name?: string | undefined;
  role?: Role | undefined;
  storeIds?: Id<'store'>[] | undefined;
  regionIds?: Id<'region'>[] | undefined;
  environments?: string[] | undefined;
}

/** A user as the API shows it and the audit trail records it; the provider's subject stays internal. */
export const describeUser = (user: User) => ({
  id: user.id, email: user.email, name: user.name, role: user.role, storeIds: user.storeIds, regionIds: user.regionIds, environments: user.environments,
  issuer: user.issuer, provisionedBy: user.provisionedBy,
  createdAt: user.createdAt.toISOString(), updatedAt: user.updatedAt.toISOString(), lastLoginAt: user.lastLoginAt?.toISOString() ?? null, disabledAt: user.disabledAt?.toISOString() ?? null,
});

/** Store and region ids must exist in the tenant; the offending ones are named. */
async function requireScope(ctx: CommandContext, storeIds: string[], regionIds: string[]): Promise<void> {
  const stores = storeIds.length ? (await Store.forTenant(ctx.trx, ctx.tenantId).whereIn('stores.id', storeIds).select('id')).map((s) => s.id) : [];
  const regions = regionIds.length ? (await Region.forTenant(ctx.trx, ctx.tenantId).whereIn('regions.id', regionIds).select('id')).map((r) => r.id) : [];
  const unknown = [...storeIds.filter((id) => !stores.includes(id)), ...regionIds.filter((id) => !regions.includes(id))];
  if (unknown.length > 0) throw new AppError('validation_failed', `unknown stores or regions: ${unknown.join(', ')}`, { details: { unknown } });
}

/** Every environment named must exist in the tenant. */
async function requireEnvironments(ctx: CommandContext, names: string[]): Promise<void> {
  const known = (await Environment.forTenant(ctx.trx, ctx.tenantId).select('name')).map((e) => e.name);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) throw new AppError('validation_failed', `unknown environments: ${unknown.join(', ')}; this tenant has ${known.join(', ')}`, { details: { unknown } });
}

function requireScopeForRole(scope: { role: string; storeIds: string[]; regionIds: string[] }): void {
  if ((scope.role === 'store_staff' || scope.role === 'store_manager') && scope.storeIds.length === 0) throw new AppError('validation_failed', `a ${scope.role} needs storeIds`);
  if (scope.role === 'regional_manager' && scope.regionIds.length === 0) throw new AppError('validation_failed', 'a regional_manager needs regionIds');
}

/** Pre-provisions a person; they are bound to their identity at first login, by e-mail. */
export async function createUser(ctx: CommandContext, input: UserScope & { email: string; name?: string | undefined }): Promise<User> {
  requireScopeForRole(input);
  await requireScope(ctx, input.storeIds, input.regionIds);
  await requireEnvironments(ctx, input.environments);
  if (await User.forTenant(ctx.trx, ctx.tenantId).findOne('users.email', input.email)) throw new AppError('conflict', 'a user with this e-mail exists', { details: { field: 'email' } });
  const now = nowOf(ctx);
  const user = await mappingDatabaseErrors(() => User.query(ctx.trx).insertAndFetch({
    tenantId: ctx.tenantId, id: newId('user', now.getTime()), email: input.email, name: input.name ?? input.email, role: input.role,
    storeIds: input.storeIds, regionIds: input.regionIds, environments: [...new Set(input.environments)], issuer: null, subject: null, provisionedBy: 'admin', createdAt: now, updatedAt: now,
  }));
  await writeAudit(ctx, { action: 'user.created', subjectType: 'User', subjectId: user.id, after: describeUser(user) });
  return user;
}

/** Changes role, scope or name; an admin's change of access then wins over the provider's claims. */
export async function updateUser(ctx: CommandContext, user: User, patch: UserPatch): Promise<User> {
  const next = {
    role: patch.role ?? user.role, storeIds: patch.storeIds ?? user.storeIds, regionIds: patch.regionIds ?? user.regionIds,
    environments: patch.environments ? [...new Set(patch.environments)] : user.environments,
  };
  requireScopeForRole(next);
  await requireScope(ctx, patch.storeIds ?? [], patch.regionIds ?? []);
  await requireEnvironments(ctx, patch.environments ?? []);
  const changesAccess = patch.role !== undefined || patch.storeIds !== undefined || patch.regionIds !== undefined || patch.environments !== undefined;
  const updated = await User.query(ctx.trx).patchAndFetchById([ctx.tenantId, user.id], {
    ...next, name: patch.name ?? user.name, updatedAt: nowOf(ctx), ...(changesAccess ? { provisionedBy: 'admin' as const } : {}),
  });
  // A session acting in an environment the person lost moves to the first one they keep.
  if (patch.environments) {
    await Session.query(ctx.trx).patch({ environment: next.environments[0] ?? 'production' }).where({ tenant_id: ctx.tenantId, user_id: user.id }).whereNotIn('environment', next.environments);
  }
  await writeAudit(ctx, { action: 'user.updated', subjectType: 'User', subjectId: user.id, before: describeUser(user), after: describeUser(updated) });
  return updated;
}

/** Disables (sessions end now; bearer tokens are refused because the resolver reads disabled_at) or enables a user. */
export async function setUserDisabled(ctx: CommandContext, user: User, disabled: boolean): Promise<User> {
  if (user.id === ctx.actor.id && disabled) throw new AppError('conflict', 'you cannot disable yourself');
  const updated = await User.query(ctx.trx).patchAndFetchById([ctx.tenantId, user.id], { disabledAt: disabled ? (user.disabledAt ?? nowOf(ctx)) : null, updatedAt: nowOf(ctx) });
  if (disabled) await Session.query(ctx.trx).delete().where({ tenant_id: ctx.tenantId, user_id: user.id });
  await writeAudit(ctx, { action: disabled ? 'user.disabled' : 'user.enabled', subjectType: 'User', subjectId: user.id, before: describeUser(user), after: describeUser(updated) });
  return updated;
}
