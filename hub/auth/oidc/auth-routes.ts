import Router from '@koa/router';
import type { Knex } from 'knex';
import { AppError, isAppError } from '../../../contracts/index.js';
import type { AppContext, AppState } from '../../api/state.js';
import { assertSameOrigin } from '../same-origin.js';
import { loggedOutPage, logoutPage, signInErrorPage } from './auth-pages.js';
import { auditLogin, auditLoginFailure, auditLogout, type SignInRequest } from './login-audit.js';
import { consumePendingLogin, savePendingLogin } from './pending-logins.js';
import { principalForUser } from './principal-for-user.js';
import type { RelyingParty } from './relying-party.js';
import { safeReturnTo } from './return-to.js';
import { createSession, deleteSession, findLiveSession, parseSessionCookie, SESSION_COOKIE, type SessionPolicy } from './sessions.js';
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
  /** The hub's origin as browsers see it: logout (a change made with the cookie) must come from it. */
  publicOrigin: string;
  session: SessionPolicy;
}

function cookieOptions(secure: boolean, maxAgeMs?: number) {
  return { httpOnly: true, sameSite: 'lax' as const, secure, path: '/', overwrite: true, ...(maxAgeMs !== undefined ? { maxAge: maxAgeMs } : {}) };
}

function setCookie(ctx: AppContext, secure: boolean, name: string, value: string | null, maxAgeMs?: number): void {
  // koa's cookies refuse `secure` on a plain connection; behind a TLS-terminating proxy the hub knows better.
  if (secure) Reflect.set(ctx.cookies, 'secure', true);
  ctx.cookies.set(name, value, cookieOptions(secure, value === null ? undefined : maxAgeMs));
}

type Handler = (ctx: AppContext) => Promise<void>;

const asAppError = (error: unknown): AppError => (isAppError(error) ? error : new AppError('internal', 'internal error', { cause: error }));

/** Browsers land on these routes by navigation: a failure is a page a person can read, with the stable code in it. */
function renderFailure(ctx: AppContext, error: AppError): void {
  if (error.status >= 500) ctx.state.log.error({ err: error, code: error.code }, 'sign-in failed');
  else ctx.state.log.info({ code: error.code, reason: error.message }, 'sign-in refused');
  ctx.status = error.status;
  ctx.type = 'html';
  ctx.set('cache-control', 'no-store');
  ctx.body = signInErrorPage({ code: error.code, message: error.expose ? error.message : 'the sign-in service is unavailable; try again shortly', requestId: ctx.state.requestId });
}

const asPage = (handler: Handler): Handler => async (ctx) => {
  try {
    await handler(ctx);
  } catch (error) {
    renderFailure(ctx, asAppError(error));
  }
};

const signInRequest = (ctx: AppContext, tenantId: string, now: Date): SignInRequest => ({ tenantId, requestId: ctx.state.requestId, clientAddress: ctx.request.ip || null, now });

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

function callback(options: AuthRoutesOptions): Handler {
  const { knex, rp, secureCookies, session } = options;
  return async (ctx) => {
    const now = session.now();
    let tenantId = rp.config.tenantId;
    try {
      const state = typeof ctx.query.state === 'string' ? ctx.query.state : '';
      const bound = ctx.cookies.get(LOGIN_STATE_COOKIE);
      setCookie(ctx, secureCookies, LOGIN_STATE_COOKIE, null);
      if (typeof ctx.query.error === 'string') throw new AppError('unauthenticated', `the identity provider refused the login: ${ctx.query.error}`);
      if (!state || !bound || bound !== state) throw new AppError('unauthenticated', 'login state mismatch: start the login again from this browser');
      const pending = await consumePendingLogin(knex, state);
      if (!pending) throw new AppError('unauthenticated', 'unknown or expired login: start again');
      tenantId = pending.tenantId;
      const result = await rp.finishLogin(new URL(ctx.originalUrl, rp.redirectUri), { state, nonce: pending.nonce, codeVerifier: pending.codeVerifier });
      const issuer = (await rp.endpoints()).issuer;
      const request = signInRequest(ctx, tenantId, now);
      const cookie = await inTenant(knex, tenantId, async (trx) => {
        const user = await provisionUser(trx, { tenantId, issuer, claims: result.claims, mapping: rp.config, requestId: ctx.state.requestId, isLogin: true, now });
        const created = await createSession(trx, { tenantId, userId: user.id, ttlSeconds: rp.config.sessionTtlSeconds, idToken: result.idToken, now });
        await auditLogin(trx, request, { userId: user.id, sessionId: created.session.id, email: user.email });
        return created.cookie;
      });
      setCookie(ctx, secureCookies, SESSION_COOKIE, cookie, rp.config.sessionTtlSeconds * 1000);
      ctx.state.log.info({ tenant: tenantId }, 'login');
      ctx.redirect(pending.returnTo);
    } catch (raw) {
      const error = asAppError(raw);
      await auditLoginFailure(knex, signInRequest(ctx, tenantId, now), { code: error.code, reason: error.expose ? error.message : 'internal error' })
        .catch((auditError: unknown) => ctx.state.log.error({ err: auditError }, 'could not audit a failed login'));
      throw error;
    }
  };
}

/** The local session goes in any case; the provider's session too when it supports RP-initiated logout. */
function logout({ knex, rp, secureCookies, publicOrigin, session }: AuthRoutesOptions): Handler {
  return async (ctx) => {
    const cookie = parseSessionCookie(ctx.cookies.get(SESSION_COOKIE));
    if (cookie) assertSameOrigin({ method: ctx.method, origin: ctx.get('origin'), secFetchSite: ctx.get('sec-fetch-site') }, publicOrigin);
    const ended = cookie
      ? await inTenant(knex, cookie.tenantId, async (trx) => {
        const live = await deleteSession(trx, cookie, session);
        if (live) await auditLogout(trx, signInRequest(ctx, cookie.tenantId, session.now()), { userId: live.user.id, sessionId: live.session.id });
        return live;
      })
      : null;
    setCookie(ctx, secureCookies, SESSION_COOKIE, null);
    const providerLogout = await rp.endSessionUrl(ended?.session.idToken ?? null);
    ctx.status = 303;
    ctx.redirect(providerLogout?.href ?? '/auth/logged-out');
  };
}

function me({ knex, session }: AuthRoutesOptions): Handler {
  return async (ctx) => {
    const cookie = parseSessionCookie(ctx.cookies.get(SESSION_COOKIE));
    if (!cookie) throw new AppError('unauthenticated', 'not logged in');
    ctx.body = await inTenant(knex, cookie.tenantId, async (trx) => {
      const live = await findLiveSession(trx, cookie, session);
      if (!live) throw new AppError('unauthenticated', 'your session has ended; log in again');
      const principal = await principalForUser(trx, live.user, live.session.environment);
      return {
        user: { id: live.user.id, email: live.user.email, name: live.user.name },
        tenantId: principal.tenantId, environment: principal.environment, environments: live.user.environments, role: principal.role, storeIds: principal.storeIds, regionIds: principal.regionIds,
        sessionExpiresAt: live.session.expiresAt.toISOString(),
      };
    });
  };
}

const staticPage = (html: string): Handler => (ctx) => {
  ctx.type = 'html';
  ctx.set('cache-control', 'no-store');
  ctx.body = html;
  return Promise.resolve();
};

/**
 * The browser side of OpenID Connect, outside the authenticated /v1 router: `/auth/login`, `/auth/callback`,
 * `/auth/logout` (GET shows a page whose form POSTs), `/auth/logged-out`, and `/auth/me` (JSON, for the console).
 */
export function authRouter(options: AuthRoutesOptions): Router<AppState> {
  const router = new Router<AppState>();
  router.get('/auth/login', asPage(login(options)));
  router.get('/auth/callback', asPage(callback(options)));
  router.post('/auth/logout', asPage(logout(options)));
  router.get('/auth/logout', staticPage(logoutPage()));
  router.get('/auth/logged-out', staticPage(loggedOutPage()));
  router.get('/auth/me', me(options));
  return router;
}
