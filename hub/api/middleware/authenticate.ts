import type { Knex } from 'knex';
import type { Middleware } from 'koa';
import { AppError } from '../../../contracts/index.js';
import { abilityFor } from '../../../policies/index.js';
import { authenticateApiToken } from '../../auth/api-tokens.js';
import type { AppState } from '../state.js';

/** Bearer `vgl_` API tokens. Sets the principal and its CASL ability on the request state. */
export function authenticate(knex: Knex): Middleware<AppState> {
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new AppError('unauthenticated', 'send Authorization: Bearer <token>');
    const principal = await authenticateApiToken(knex, match[1]);
    ctx.state.principal = principal;
    ctx.state.ability = abilityFor(principal);
    ctx.state.log = ctx.state.log.child({ tenant: principal.tenantId, principal: principal.principalId });
    await next();
  };
}
