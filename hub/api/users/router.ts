import { User } from '../../../models/index.js';
import { createUser, setUserDisabled, updateUser } from '../../commands/user-manager.js';
import { commandContext } from '../command-context.js';
import { idParams } from '../common-schemas.js';
import { loadAuthorized, resourceRoutes } from '../resource-routes.js';
import { defineRoute } from '../route.js';
import type { RequestContext } from '../state.js';
import { presentUser } from './presenter.js';
import { createUserBody, listUsersQuery, updateUserBody, userSchema } from './schema.js';

const tag = 'Users';

async function setDisabled(ctx: RequestContext, id: string, disabled: boolean) {
  const user = await loadAuthorized<User>(ctx, User, 'User', id, 'update', 'user');
  return { status: 200, body: presentUser(await setUserDisabled(commandContext(ctx), user, disabled)) };
}

export const userRoutes = [
  ...resourceRoutes({
    names: {
      operation: 'User', path: 'users', one: 'user', many: 'users', tag,
      createSummary: 'Pre-provision a person (bound to their identity at first login, by e-mail)',
      updateSummary: 'Change a user\'s role or scope (the admin\'s choice then wins over the provider\'s claims)',
    },
    subject: 'User', idKind: 'user', model: User,
    schemas: { item: userSchema, create: createUserBody, update: updateUserBody, list: listUsersQuery },
    present: (_ctx, row: User) => presentUser(row),
    filter: (rows, query) => {
      if (query.role) void rows.where('users.role', query.role);
      if (query.email) void rows.where('users.email', query.email.toLowerCase());
    },
    create: createUser,
    update: updateUser,
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
