import type { Middleware } from 'koa';
import { AppError, isAppError } from '../../../contracts/index.js';
import type { DatabaseHandle } from '../../../models/index.js';
import { abilityFor, type Principal } from '../../../policies/index.js';
import type { Credentials, PrincipalResolver } from '../../auth/principal-resolver.js';
import { assertSameOrigin } from '../../auth/same-origin.js';
import type { AppContext, AppState } from '../state.js';
import type { FailedAuthLimiter } from './rate-limit.js';

export type RulesLoader = (knex: DatabaseHandle, principal: Principal) => Promise<Parameters<typeof abilityFor>[1]>;

export interface AuthenticateOptions {
  /** The hub's public origin (scheme://host:port): cookie-authenticated changes must come from it. */
  publicOrigin: string;
  /** Failed authentications per client address; absent means unlimited. */
  failedAuth?: FailedAuthLimiter;
}

function credentialsOf(ctx: AppContext): Credentials {
  const header = ctx.get('authorization');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (header && !match) throw new AppError('unauthenticated', 'send Authorization: Bearer <token>');
  return { bearer: match?.[1] ?? null, cookie: (name) => ctx.cookies.get(name) };
}

async function resolvePrincipal(knex: DatabaseHandle, resolvers: PrincipalResolver[], credentials: Credentials): Promise<{ principal: Principal; by: PrincipalResolver }> {
  for (const resolver of resolvers) {
    const principal = await resolver.resolve(knex, credentials);
    if (principal) return { principal, by: resolver };
  }
  throw new AppError('unauthenticated', credentials.bearer ? 'this bearer token is not one the hub accepts' : 'send Authorization: Bearer <token> or log in');
}

/**
 * Tries each resolver in turn (API tokens, OpenID Connect bearer tokens, the console session) and sets the
 * principal and its CASL ability — the role's built-in rules plus the tenant's own, read on every request
 * so that a policy change takes effect on the next one. A change authenticated by a cookie must come from
 * the hub's own origin; an address that keeps failing to authenticate is slowed down (429).
 */
export function authenticate(knex: DatabaseHandle, resolvers: PrincipalResolver[], loadTenantRules: RulesLoader, options: AuthenticateOptions): Middleware<AppState> {
  return async (ctx, next) => {
    const address = ctx.request.ip || 'unknown';
    options.failedAuth?.assertAllowed(address);
    let resolved: { principal: Principal; by: PrincipalResolver };
    try {
      resolved = await resolvePrincipal(knex, resolvers, credentialsOf(ctx));
    } catch (error) {
      if (isAppError(error) && error.code === 'unauthenticated') options.failedAuth?.recordFailure(address);
      throw error;
    }
    const { principal, by } = resolved;
    if (by.isAmbient) assertSameOrigin({ method: ctx.method, origin: ctx.get('origin'), secFetchSite: ctx.get('sec-fetch-site') }, options.publicOrigin);
    ctx.state.principal = principal;
    ctx.state.ability = abilityFor(principal, await loadTenantRules(knex, principal));
    ctx.state.log = ctx.state.log.child({ tenant: principal.tenantId, principal: principal.principalId });
    await next();
  };
}
