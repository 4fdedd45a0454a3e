import type { RouterContext } from '@koa/router';
import { AppError } from '../../contracts/index.js';
import type { AppState } from '../api/state.js';
import { navLinks, type Permissions } from './admin-nav.js';
import type { Viewer } from './html.js';

export type ConsoleContext = RouterContext<AppState>;

export interface ApiView extends ApiReader {
  me: Viewer;
  /** What the API says the role's policy could allow (`GET /v1/session/permissions`), for links and controls. */
  can: Permissions;
}

/** GETs of the hub's own API with the browser's session (its cookie and the request's id). */
export interface ApiReader {
  get(path: string): Promise<Response>;
  /** The JSON of a GET, or null when the role may not read it (403/404); other failures throw. */
  read<T>(path: string): Promise<T | null>;
}

export function apiReader(ctx: ConsoleContext, internalUrl: () => string): ApiReader {
  const headers = { cookie: ctx.get('cookie'), 'x-request-id': ctx.state.requestId };
  const get = (path: string) => fetch(`${internalUrl()}${path}`, { headers });
  return {
    get,
    async read<T>(path: string) {
      const response = await get(path);
      if (response.status === 403 || response.status === 404) return null;
      if (!response.ok) throw new AppError('unavailable', `GET ${path.split('?')[0]} answered ${response.status}`);
      return (await response.json()) as T;
    },
  };
}

/** Whether the request carries a cookie at all: without one, nothing is worth asking the API before the login. */
export const hasSessionCookie = (ctx: ConsoleContext): boolean => ctx.get('cookie') !== '';

/**
 * The hub's own API as the browser's session sees it; null (after redirecting to the login) without a session.
 * A page may start its own reads with `reader` before this resolves (they answer 401 without a session, and the
 * page then redirects instead of using them).
 */
export async function asViewer(ctx: ConsoleContext, internalUrl: () => string, reader: ApiReader = apiReader(ctx, internalUrl)): Promise<ApiView | null> {
  const { get } = reader;
  const [meResponse, permissions] = hasSessionCookie(ctx) ? await Promise.all([get('/auth/me'), get('/v1/session/permissions')]) : [null, null];
  if (meResponse === null || meResponse.status === 401) {
    // The whole URL, query included: a Teams card's `?action=acknowledge` survives the sign-in.
    ctx.redirect(`/auth/login?returnTo=${encodeURIComponent(ctx.url)}`);
    return null;
  }
  const can = permissions?.ok ? ((await permissions.json()) as { can: Permissions }).can : {};
  const me = { ...((await meResponse.json()) as Viewer), links: navLinks(can) };
  return { me, can, ...reader };
}

export function render(ctx: ConsoleContext, html: string, status = 200): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('cache-control', 'no-store');
  ctx.body = html;
}
