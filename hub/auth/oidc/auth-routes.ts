import Router from '@koa/router';
import type { Knex } from 'knex';
import { AppError } from '../../../contracts/index.js';
import type { AppContext, AppState } from '../../api/state.js';
import { consumePendingLogin, safeReturnTo, savePendingLogin } from './pending-logins.js';
import { principalForUser } from './principal-for-user.js';
import type { RelyingParty } from './relying-party.js';
import { createSession, deleteSession, findLiveSession, parseSessionCookie, SESSION_COOKIE } from './sessions.js';
import { inTenant } from './tenant-transaction.js';
import { provisionUser } from './user-provisioner.js';

/** Binds a pending login to the browser that started it, so a callback URL planted in another browser fails. */
export const LOGIN_STATE_COOKIE = 'vigil_login_state';
const LOGIN_TTL_SECONDS = 600;

export interface AuthRoutesOptions {
  knex: Knex;
  rp: RelyingParty;
  /** Cookies get `Secure` when the hub's public URL is https, even behind a proxy that terminates TLS. */
  secureCookies: boolean;
}

function cookieOptions(secure: boolean, maxAgeMs?: number) {
  return { httpOnly: true, sameSite: 'lax' as const, secure, path: '/', overwrite: true, ...(maxAgeMs !== undefined ? { maxAge: maxAgeMs } : {}) };
}

function setCookie(ctx: AppContext, secure: boolean, name: string, value: string | null, maxAgeMs?: number): void {
  // koa's cookies refuse `secure` on a plain connection; behind a TLS-terminating proxy the hub knows better.
  if (secure) (ctx.cookies as unknown as { secure: boolean }).secure = true;
  ctx.cookies.set(name, value, cookieOptions(secure, value === null ? undefined : maxAgeMs));
}

type Handler = (ctx: AppContext) => Promise<void>;

function login({ knex, rp, secureCookies }: AuthRoutesOptions): Handler {
  return async (ctx) => {
    const raw = typeof ctx.query.returnTo === 'string' ? ctx.query.returnTo : '/console';
    const returnTo = safeReturnTo(raw);
    if (!returnTo) throw new AppError('validation_failed', 'returnTo must be a path on this hub');
    const started = await rp.startLogin();
    await savePendingLogin(knex, started.state, { tenantId: rp.config.tenantId, nonce: started.nonce, codeVerifier: started.codeVerifier, returnTo }, LOGIN_TTL_SECONDS);
    setCookie(ctx, secureCookies, LOGIN_STATE_COOKIE, started.state, LOGIN_TTL_SECONDS * 1000);
    ctx.redirect(started.url.href);
  };
}

function callback({ knex, rp, secureCookies }: AuthRoutesOptions): Handler {
  return async (ctx) => {
    const state = typeof ctx.query.state === 'string' ? ctx.query.state : '';
    const bound = ctx.cookies.get(LOGIN_STATE_COOKIE);
    setCookie(ctx, secureCookies, LOGIN_STATE_COOKIE, null);
    if (typeof ctx.query.error === 'string') throw new AppError('unauthenticated', `the identity provider refused the login: ${ctx.query.error}`);
    if (!state || !bound || bound !== state) throw new AppError('unauthenticated', 'login state mismatch: start the login again from this browser');
    const pending = await consumePendingLogin(knex, state);
    if (!pending) throw new AppError('unauthenticated', 'unknown or expired login: start again');
    const result = await rp.finishLogin(new URL(ctx.originalUrl, rp.redirectUri), { state, nonce: pending.nonce, codeVerifier: pending.codeVerifier });
    const issuer = (await rp.endpoints()).issuer;
    const cookie = await inTenant(knex, pending.tenantId, async (trx) => {
      const user = await provisionUser(trx, { tenantId: pending.tenantId, issuer, claims: result.claims, mapping: rp.config, requestId: ctx.state.requestId, isLogin: true });
      return (await createSession(trx, { tenantId: pending.tenantId, userId: user.id, ttlSeconds: rp.config.sessionTtlSeconds, idToken: result.idToken })).cookie;
    });
    setCookie(ctx, secureCookies, SESSION_COOKIE, cookie, rp.config.sessionTtlSeconds * 1000);
    ctx.state.log.info({ tenant: pending.tenantId }, 'login');
    ctx.redirect(pending.returnTo);
  };
}

/** The local session goes in any case; the provider's session too when it supports RP-initiated logout. */
function logout({ knex, rp, secureCookies }: AuthRoutesOptions): Handler {
  return async (ctx) => {
    const cookie = parseSessionCookie(ctx.cookies.get(SESSION_COOKIE));
    const ended = cookie ? await inTenant(knex, cookie.tenantId, (trx) => deleteSession(trx, cookie)) : null;
    setCookie(ctx, secureCookies, SESSION_COOKIE, null);
    const providerLogout = await rp.endSessionUrl(ended?.idToken ?? null);
    ctx.status = 303;
    ctx.redirect(providerLogout?.href ?? '/');
  };
}

function me({ knex }: AuthRoutesOptions): Handler {
  return async (ctx) => {
    const cookie = parseSessionCookie(ctx.cookies.get(SESSION_COOKIE));
    if (!cookie) throw new AppError('unauthenticated', 'not logged in');
    ctx.body = await inTenant(knex, cookie.tenantId, async (trx) => {
      const live = await findLiveSession(trx, cookie);
      if (!live) throw new AppError('unauthenticated', 'your session has ended; log in again');
      const principal = await principalForUser(trx, live.user);
      return {
        user: { id: live.user.id, email: live.user.email, name: live.user.name },
        tenantId: principal.tenantId, role: principal.role, storeIds: principal.storeIds, regionIds: principal.regionIds,
        sessionExpiresAt: live.session.expiresAt.toISOString(),
      };
    });
  };
}

/**
 * `/auth/login`, `/auth/callback`, `/auth/logout`, `/auth/me`: the browser side of OpenID Connect.
 * Plain routes, outside the authenticated /v1 router.
 */
export function authRouter(options: AuthRoutesOptions): Router<AppState> {
  const router = new Router<AppState>();
  router.get('/auth/login', login(options));
  router.get('/auth/callback', callback(options));
  router.post('/auth/logout', logout(options));
  router.get('/auth/logout', logout(options));
  router.get('/auth/me', me(options));
  return router;
}
