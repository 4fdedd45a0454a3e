import { AppError } from '../../contracts/index.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const isStateChanging = (method: string): boolean => STATE_CHANGING.has(method.toUpperCase());

export interface RequestOrigin {
  method: string;
  /** The Origin header, '' when absent. */
  origin: string;
  /** The Sec-Fetch-Site header, '' when absent. */
  secFetchSite: string;
}

/**
 * Cookies ride along on every request the browser makes, including a form another page of the same site
 * submits (SameSite=Lax does not stop a sibling origin such as another port or subdomain). A state-changing
 * request that authenticates with a cookie must therefore prove it came from the hub's own pages: Origin
 * equal to the hub's public origin, or Sec-Fetch-Site: same-origin. Bearer-token requests never get here.
 */
export function assertSameOrigin(request: RequestOrigin, publicOrigin: string): void {
  if (!isStateChanging(request.method)) return;
  if (request.origin !== '' && request.origin === publicOrigin) return;
  if (request.secFetchSite.toLowerCase() === 'same-origin') return;
  throw new AppError('cross_origin_refused', request.origin === ''
    ? 'a cookie-authenticated change must come from the hub\'s own pages (no Origin header)'
    : `a cookie-authenticated change must come from the hub's own pages, not ${request.origin}`);
}
