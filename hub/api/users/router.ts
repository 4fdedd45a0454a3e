import { AppError, newId } from '../../../contracts/index.js';
import { Region, Session, Store, User } from '../../../models/index.js';
import { whereAllowed } from '../../../policies/index.js';
import { writeAudit } from '../../audit/index.js';
import { authorize, authorizeType, orNotFound } from '../authorize.js';
import { commandContext } from '../command-context.js';
import { idParams } from '../common-schemas.js';
import { pageSchema, paginate } from '../pagination.js';
import { defineRoute } from '../route.js';
import type { RequestContext } from '../state.js';
import { presentUser } from './presenter.js';
import { createUserBody, listUsersQuery, updateUserBody, userSchema } from './schema.js';

const tag = 'Users';

/** Store and region ids must exist in the caller's tenant; the offending ones are named. */
async function requireScope(ctx: RequestContext, storeIds: string[], regionIds: string[]): Promise<void> {
  const tenant = ctx.principal.tenantId;
  const stores = storeIds.length ? (await Store.forTenant(ctx.trx, tenant).whereIn('stores.id', storeIds).select('id')).map((s) => s.id) : [];
  const regions = regionIds.length ? (await Region.forTenant(ctx.trx, tenant).whereIn('regions.id', regionIds).select('id')).map((r) => r.id) : [];
  const unknown = [...storeIds.filter((id) => !stores.includes(id)), ...regionIds.filter((id) => !regions.includes(id))];
  if (unknown.length > 0) throw new AppError('validation_failed', `unknown stores or regions: ${unknown.join(', ')}`, { details: { unknown } });
}

function requireScopeForRole(role: string, storeIds: string[], regionIds: string[]): void {
  if ((role === 'store_staff' || role === 'store_manager') && storeIds.length === 0) throw new AppError('validation_failed', `a ${role} needs storeIds`);
  if (role === 'regional_manager' && regionIds.length === 0) throw new AppError('validation_failed', 'a regional_manager needs regionIds');
}

async function loadUser(ctx: RequestContext, id: string, lock = false): Promise<User> {
  const qb = User.forTenant(ctx.trx, ctx.principal.tenantId).findOne('users.id', id);
  const user = orNotFound(await (lock ? qb.forUpdate() : qb), 'user');
  authorize(ctx, 'read', 'User', user);
  return user;
}

async function setDisabled(ctx: RequestContext, id: string, disabled: boolean) {
  const user = await loadUser(ctx, id, true);
  authorize(ctx, 'update', 'User', user);
  if (user.id === ctx.principal.principalId && disabled) throw new AppError('conflict', 'you cannot disable yourself');
  const updated = await User.query(ctx.trx).patchAndFetchById([ctx.principal.tenantId, user.id], { disabledAt: disabled ? (user.disabledAt ?? new Date()) : null, updatedAt: new Date() });
  // Sessions end with the user; bearer tokens are refused because the resolver reads disabled_at on every request.
  if (disabled) await Session.query(ctx.trx).delete().where({ tenant_id: ctx.principal.tenantId, user_id: user.id });
  await writeAudit(commandContext(ctx), { action: disabled ? 'user.disabled' : 'user.enabled', subjectType: 'User', subjectId: user.id, before: presentUser(user), after: presentUser(updated) });
  return { status: 200, body: presentUser(updated) };
}

export const userRoutes = [
  defineRoute({
    method: 'post', path: '/v1/users', operationId: 'createUser', summary: 'Pre-provision a person (bound to their identity at first login, by e-mail)', tag,
    body: createUserBody,
    responses: { 201: { description: 'Created', schema: userSchema } },
    handler: async ({ body }, ctx) => {
      authorizeType(ctx, 'create', 'User');
      requireScopeForRole(body.role, body.storeIds, body.regionIds);
      await requireScope(ctx, body.storeIds, body.regionIds);
      if (await User.forTenant(ctx.trx, ctx.principal.tenantId).findOne('users.email', body.email)) throw new AppError('conflict', 'a user with this e-mail exists');
      const now = new Date();
      const user = await User.query(ctx.trx).insertAndFetch({
        tenantId: ctx.principal.tenantId, id: newId('user'), email: body.email, name: body.name ?? body.email, role: body.role,
        storeIds: body.storeIds, regionIds: body.regionIds, issuer: null, subject: null, provisionedBy: 'admin', createdAt: now, updatedAt: now,
      });
      await writeAudit(commandContext(ctx), { action: 'user.created', subjectType: 'User', subjectId: user.id, after: presentUser(user) });
      return { status: 201, body: presentUser(user) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/users', operationId: 'listUsers', summary: 'List users', tag,
    query: listUsersQuery,
    responses: { 200: { description: 'A page of users', schema: pageSchema(userSchema) } },
    handler: async ({ query }, ctx) => {
      const qb = User.forTenant(ctx.trx, ctx.principal.tenantId);
      if (query.role) void qb.where('users.role', query.role);
      if (query.email) void qb.where('users.email', query.email.toLowerCase());
      whereAllowed(qb, ctx.ability, 'read', 'User', 'users');
      const page = await paginate<User>(qb, 'users', query);
      return { status: 200, body: { data: page.rows.map(presentUser), nextCursor: page.nextCursor } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/users/:id', operationId: 'getUser', summary: 'Get a user', tag,
    params: idParams('user'),
    responses: { 200: { description: 'The user', schema: userSchema } },
    handler: async ({ params }, ctx) => ({ status: 200, body: presentUser(await loadUser(ctx, params.id)) }),
  }),
  defineRoute({
    method: 'patch', path: '/v1/users/:id', operationId: 'updateUser', summary: 'Change a user\'s role or scope (the admin\'s choice then wins over the provider\'s claims)', tag,
    params: idParams('user'), body: updateUserBody,
    responses: { 200: { description: 'The updated user', schema: userSchema } },
    handler: async ({ params, body }, ctx) => {
      const user = await loadUser(ctx, params.id, true);
      authorize(ctx, 'update', 'User', user);
      const next = { role: body.role ?? user.role, storeIds: body.storeIds ?? user.storeIds, regionIds: body.regionIds ?? user.regionIds };
      requireScopeForRole(next.role, next.storeIds, next.regionIds);
      await requireScope(ctx, body.storeIds ?? [], body.regionIds ?? []);
      const changesAccess = body.role !== undefined || body.storeIds !== undefined || body.regionIds !== undefined;
      const updated = await User.query(ctx.trx).patchAndFetchById([ctx.principal.tenantId, user.id], {
        ...next, name: body.name ?? user.name, updatedAt: new Date(), ...(changesAccess ? { provisionedBy: 'admin' as const } : {}),
      });
      await writeAudit(commandContext(ctx), { action: 'user.updated', subjectType: 'User', subjectId: user.id, before: presentUser(user), after: presentUser(updated) });
      return { status: 200, body: presentUser(updated) };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/users/:id/disable', operationId: 'disableUser', summary: 'Disable a user: sessions end now, tokens are refused from the next request', tag,
    params: idParams('user'),
    responses: { 200: { description: 'The disabled user', schema: userSchema } },
    handler: ({ params }, ctx) => setDisabled(ctx, params.id, true),
  }),
  defineRoute({
    method: 'post', path: '/v1/users/:id/enable', operationId: 'enableUser', summary: 'Enable a disabled user again', tag,
    params: idParams('user'),
    responses: { 200: { description: 'The enabled user', schema: userSchema } },
    handler: ({ params }, ctx) => setDisabled(ctx, params.id, false),
  }),
];
