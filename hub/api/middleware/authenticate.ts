import type { Knex } from 'knex';
import type { Middleware } from 'koa';
import { AppError } from '../../../contracts/index.js';
import { abilityFor, type Principal } from '../../../policies/index.js';
import type { Credentials, PrincipalResolver } from '../../auth/principal-resolver.js';
import type { AppState } from '../state.js';

export type RulesLoader = (knex: Knex, principal: Principal) => Promise<Parameters<typeof abilityFor>[1]>;

/**
 * Tries each resolver in turn (API tokens, OpenID Connect bearer tokens, the console session) and sets the
 * principal and its CASL ability — the role's built-in rules plus the tenant's own, read on every request
 * so that a policy change takes effect on the next one.
 */
export function authenticate(knex: Knex, resolvers: PrincipalResolver[], loadTenantRules: RulesLoader): Middleware<AppState> {
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (header && !match) throw new AppError('unauthenticated', 'send Authorization: Bearer <token>');
    const credentials: Credentials = { bearer: match?.[1] ?? null, cookie: (name) => ctx.cookies.get(name) };
    let principal: Principal | null = null;
    for (const resolver of resolvers) {
      principal = await resolver.resolve(knex, credentials);
      if (principal) break;
    }
    if (!principal) throw new AppError('unauthenticated', credentials.bearer ? 'this bearer token is not one the hub accepts' : 'send Authorization: Bearer <token> or log in');
    ctx.state.principal = principal;
    ctx.state.ability = abilityFor(principal, await loadTenantRules(knex, principal));
    ctx.state.log = ctx.state.log.child({ tenant: principal.tenantId, principal: principal.principalId });
    await next();
  };
}
